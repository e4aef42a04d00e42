"""The URLs an API hands out, built from its configuration, never from the request's ``Host``.

``request.url_for`` builds an absolute URL from the ``Host`` header, which the client
chose: ``Host: evil.example`` came back in the ``Location`` of a created resource, and
a client, a cache or a link in a log then sends the next request to that host. Here a URL
is the route's path (RFC 9110, 10.2.2: ``Location`` may be a relative reference),
prefixed by the app's public base URL when it is configured.
"""

from typing import Any

from starlette.requests import Request


# --8<-- [start:resource-url]
def resource_url(request: Request, route: str, **path_params: Any) -> str:
    """Return the URL of ``route`` with ``path_params``: its path, under the public base URL.

    The base is ``public_base_url`` of :func:`~infrastructure_kernel.http.edge.edge_app`
    (e.g. ``https://shop.example``); without one, the URL is the path alone
    (``/api/v1/products/7``), which a client resolves against the address it called.
    The server's ``root_path`` (a proxy's prefix, from the server's configuration)
    comes between the two.
    """
    path = request.app.url_path_for(route, **path_params)
    base: str = getattr(request.app.state, "public_base_url", None) or ""
    return f"{base.rstrip('/')}{request.scope.get('root_path', '')}{path}"


# --8<-- [end:resource-url]
