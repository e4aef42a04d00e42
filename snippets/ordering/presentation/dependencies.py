"""What the orders endpoints need, declared as dependencies that the platform provides.

Each function below stands for one collaborator, bound to the request's tenant. None
has a body worth the name: the composition root replaces every one of them with a
provider of its own (see :mod:`ordering.presentation` for why), so this module knows
the ports, and nothing about how they are made.
"""

from typing import Annotated

from fastapi import Depends

from ordering.application.product_catalog import ProductCatalog
from ordering.application.queries import OrderQueries
from ordering.application.unit_of_work import OrderingUnitOfWork
from shared_kernel.clock import Clock

_PROVIDED = "the composition root provides this dependency (app.dependency_overrides)"


# --8<-- [start:stub-dependencies]
def ordering_unit_of_work() -> OrderingUnitOfWork:
    """A fresh unit of work for the request's tenant; one command, one transaction."""
    raise NotImplementedError(_PROVIDED)


def order_queries() -> OrderQueries:
    """The order queries of the request's tenant."""
    raise NotImplementedError(_PROVIDED)


def product_catalog() -> ProductCatalog:
    """The catalog of the request's tenant, as ordering sees it."""
    raise NotImplementedError(_PROVIDED)


def clock() -> Clock:
    """Where the endpoints' use cases get the time."""
    raise NotImplementedError(_PROVIDED)


UnitOfWorkDep = Annotated[OrderingUnitOfWork, Depends(ordering_unit_of_work)]
OrderQueriesDep = Annotated[OrderQueries, Depends(order_queries)]
ProductCatalogDep = Annotated[ProductCatalog, Depends(product_catalog)]
ClockDep = Annotated[Clock, Depends(clock)]
# --8<-- [end:stub-dependencies]
