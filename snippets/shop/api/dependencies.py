"""FastAPI dependencies: how an endpoint gets the services it needs.

Endpoints declare what they need with the ``Annotated`` aliases; FastAPI calls the
providers per request. Tests change what they get by building the app with other
:class:`~shop.bootstrap.Services`, not by patching.
"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import Depends, Request

from shop.bootstrap import Services


def get_services(request: Request) -> Services:
    """The services the app was created with."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


Providers = Mapping[Callable[..., Any], Callable[..., Any]]
"""A context's stub dependencies, each mapped to the platform's provider that replaces it.

:func:`shop.api.application.create_app` installs them as the app's
``dependency_overrides``; see :mod:`ordering.presentation` for the pattern.
"""
