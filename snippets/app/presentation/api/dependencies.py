"""FastAPI dependencies: how an endpoint gets the services it needs.

Endpoints declare what they need with the ``Annotated`` aliases below; FastAPI calls the
providers per request. Tests change what they get by building the app with other
:class:`~app.bootstrap.Services`, not by patching.
"""

from typing import Annotated

from fastapi import Depends, Request

from app.application.interfaces.customer_queries import CustomerQueries
from app.application.interfaces.unit_of_work import UnitOfWork
from app.bootstrap import Services
from infrastructure_kernel.http.request_state import app_services
from shared_kernel.clock import Clock


# --8<-- [start:dependencies]
def _services(request: Request) -> Services:
    services: Services = app_services(request, Services)
    return services


async def new_unit_of_work(request: Request) -> UnitOfWork:
    """A fresh unit of work for this request; one command, one transaction."""
    return _services(request).unit_of_work()


async def customer_queries(request: Request) -> CustomerQueries:
    """The reads of the directory."""
    return _services(request).customer_queries()


async def clock(request: Request) -> Clock:
    """Where the use cases get the time."""
    return _services(request).clock


UnitOfWorkDep = Annotated[UnitOfWork, Depends(new_unit_of_work)]
CustomerQueriesDep = Annotated[CustomerQueries, Depends(customer_queries)]
ClockDep = Annotated[Clock, Depends(clock)]
# --8<-- [end:dependencies]
