"""The platform's FastAPI dependencies: how its own endpoints get the app's services.

The contexts' endpoints do not use this module: they reach the same services through
the port each context declares (see :mod:`catalog.presentation`). Tests change what an
endpoint gets by building the app with other :class:`~shop.bootstrap.Services`, not by
patching.
"""

from typing import Annotated

from fastapi import Depends, Request

from shop.bootstrap import Services


async def get_services(request: Request) -> Services:
    """The services the app was created with.

    ``async``, as every dependency of the shop is: FastAPI runs a plain ``def`` in its
    thread pool, a hand-off that costs more than this function does.
    """
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
