"""The platform's HTTP API: the app factory and the shop's problem types.

:func:`create_app` builds an app from the infrastructure kernel's HTTP building blocks
(:mod:`infrastructure_kernel.http`) and the contexts' routers; :func:`openapi_document`
describes the shop's, for the documentation build
(``/// openapi | shop.presentation.api:openapi_document``).
"""

from shop.presentation.api.application import create_app, openapi_document

__all__ = ["create_app", "openapi_document"]
