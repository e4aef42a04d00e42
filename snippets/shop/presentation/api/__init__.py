"""The platform's HTTP API: the app factory, problem documents, the body limit, health.

:func:`create_app` builds an app; :func:`openapi_document` describes the shop's, for
the documentation build (``/// openapi | shop.presentation.api:openapi_document``).
"""

from shop.presentation.api.application import create_app, openapi_document

__all__ = ["create_app", "openapi_document"]
