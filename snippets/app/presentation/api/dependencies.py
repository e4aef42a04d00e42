"""FastAPI dependencies: how an endpoint gets the services it needs.

Endpoints declare what they need with the ``Annotated`` aliases below; FastAPI calls the
providers per request. Tests change what they get by building the app with other
:class:`~app.bootstrap.Services`, not by patching.
"""

from typing import Annotated

from fastapi import Depends, Request

from app.application.interfaces.unit_of_work import UnitOfWork
from app.bootstrap import Services
from shared_kernel.clock import Clock


# --8<-- [start:dependencies]
def get_services(request: Request) -> Services:
    """The services the app was created with."""
    services: Services = request.app.state.services
    return services


def new_unit_of_work(services: Annotated[Services, Depends(get_services)]) -> UnitOfWork:
    """A fresh unit of work for this request."""
    return services.unit_of_work()


def get_clock(services: Annotated[Services, Depends(get_services)]) -> Clock:
    """The clock."""
    return services.clock


UnitOfWorkDep = Annotated[UnitOfWork, Depends(new_unit_of_work)]
ClockDep = Annotated[Clock, Depends(get_clock)]
# --8<-- [end:dependencies]
