"""The shop's composition root with the Core kernel's units of work."""

from dataclasses import dataclass

from core_kernel.catalog import CatalogUnitOfWork
from core_kernel.ordering import OrderingUnitOfWork
from variants import VariantServices


@dataclass(frozen=True)
class KernelServices(VariantServices):
    """The shop's services, with units of work on the Core kernel."""

    catalog_unit_of_work_class = CatalogUnitOfWork
    ordering_unit_of_work_class = OrderingUnitOfWork


bootstrap = KernelServices.bootstrap
