"""Requests for a host the API does not serve are refused before anything else runs.

Behind a proxy, the ``Host`` header is whatever the client sent. An API that never builds a
URL from it (:mod:`infrastructure_kernel.http.urls`) is not fooled by it, but a request
for ``evil.example`` that reaches it has still been routed wrongly somewhere: it is
answered with a 400 problem, and the app's code never sees it. ``*`` serves every host,
for a laptop; ``*.shop.example`` every subdomain.
"""

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy

UNKNOWN_HOST = ProblemType(400, "unknown-host", "Host not served")
REMEDIES: Remedies = {
    "unknown-host": Remedy(
        "The request's Host header names a host that TRUSTED_HOSTS does not list.",
        "Call the service by a name it serves, or add the name (as JSON) to TRUSTED_HOSTS;"
        " behind a proxy, make it pass the original Host on.",
    ),
}


# --8<-- [start:trusted-hosts]
class TrustedHostsMiddleware:
    """Answer 400 to a request whose ``Host`` is none of ``allowed``."""

    def __init__(self, app: ASGIApp, problems: ProblemCatalog, allowed: Iterable[str]) -> None:
        self._app = app
        self._problems = problems
        self._allowed = [host.lower() for host in allowed]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on if its host is served, else answer 400."""
        if scope["type"] != "http" or "*" in self._allowed or self._serves(scope):
            await self._app(scope, receive, send)
            return
        detail = "this API does not serve the host named in the Host header"
        response = self._problems.response(scope["path"], UNKNOWN_HOST, detail)
        await response(scope, receive, send)

    def _serves(self, scope: Scope) -> bool:
        host = Headers(scope=scope).get("host", "").lower()
        # Without the port: "shop.example:8000", "[::1]:8000".
        host = host[: host.index("]") + 1] if "]" in host else host.partition(":")[0]
        return any(
            host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:]))
            for allowed in self._allowed
        )


# --8<-- [end:trusted-hosts]
