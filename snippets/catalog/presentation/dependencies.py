"""What the products endpoints need, declared as dependencies that the platform provides.

Each function stands for one collaborator, bound to the request's tenant. The
composition root replaces every one of them with a provider of its own (see
:mod:`catalog.presentation`), so this module knows the ports and nothing about how they
are made.
"""

from typing import Annotated

from fastapi import Depends

from catalog.application.queries import ProductQueries
from catalog.application.unit_of_work import CatalogUnitOfWork

_PROVIDED = "the composition root provides this dependency (app.dependency_overrides)"


# --8<-- [start:stub-dependencies]
def catalog_unit_of_work() -> CatalogUnitOfWork:
    """A fresh unit of work for the request's tenant; one command, one transaction."""
    raise NotImplementedError(_PROVIDED)


def product_queries() -> ProductQueries:
    """The product queries of the request's tenant."""
    raise NotImplementedError(_PROVIDED)


UnitOfWorkDep = Annotated[CatalogUnitOfWork, Depends(catalog_unit_of_work)]
ProductQueriesDep = Annotated[ProductQueries, Depends(product_queries)]
# --8<-- [end:stub-dependencies]
