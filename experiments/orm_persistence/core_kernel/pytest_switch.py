"""``pytest -p core_kernel.pytest_switch``: the shop's own suites, on the Core kernel."""

import pytest

from core_kernel import bootstrap
from core_kernel.catalog import CatalogUnitOfWork
from core_kernel.kernel import ConnectionUnitOfWork
from switching import switch_to

SWITCH = switch_to(
    name="SQLAlchemy Core with one tracked-aggregate kernel (core_kernel)",
    services=bootstrap.KernelServices,
    bootstrap=bootstrap.bootstrap,
    catalog_unit_of_work=CatalogUnitOfWork,
    counted=ConnectionUnitOfWork,
)


def pytest_configure(config: pytest.Config) -> None:
    """Report and check the switched run."""
    config.pluginmanager.register(SWITCH, "persistence-switch")
