"""Request headers that cannot mean one thing are refused before anything reads them.

Two cases, each a 400 problem:

- **A header sent twice that may be sent once.** ``X-Tenant-ID: acme`` and
  ``X-Tenant-ID: globex`` in one request: frameworks read the first, a proxy in front may
  have checked the last (RFC 9110, 5.3: only list-valued fields may repeat).
- **A body framed twice.** ``Content-Length`` and ``Transfer-Encoding`` together: the
  server believes one and a proxy in front of it may believe the other, which is how
  request smuggling works (RFC 9112, 6.3). The connection is closed after the answer,
  since where the next request starts is unknown.
"""

from collections import Counter
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy

REPEATED_HEADER = ProblemType(400, "repeated-header", "Header sent more than once")
AMBIGUOUS_FRAMING = ProblemType(400, "ambiguous-framing", "Body length sent twice")
REMEDIES: Remedies = {
    "repeated-header": Remedy(
        "A header the API takes once (X-Tenant-ID, Idempotency-Key, Content-Type, ...)"
        " came twice: which one counts would be a guess.",
        "Send it once; check that a proxy or client library does not add a second copy.",
    ),
    "ambiguous-framing": Remedy(
        "Both Content-Length and Transfer-Encoding were sent, the shape of a request"
        " smuggling attempt.",
        "Send one of them; if a proxy adds the other, correct the proxy.",
    ),
}

SINGLE_HEADERS = frozenset(
    {"authorization", "content-length", "content-type", "host", "idempotency-key"}
)
"""Headers that every API takes once, whatever the app adds to them."""


# --8<-- [start:request-headers]
class RequestHeadersMiddleware:
    """Answer 400 to a repeated single-valued header, or a body framed two ways."""

    def __init__(self, app: ASGIApp, problems: ProblemCatalog, single: Iterable[str] = ()) -> None:
        """Refuse repeats of :data:`SINGLE_HEADERS` and of the app's ``single`` headers."""
        self._app = app
        self._problems = problems
        self._single = SINGLE_HEADERS | {name.lower() for name in single}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or answer 400 if a header cannot mean one thing."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        counts = Counter(name.decode("latin-1") for name, _ in scope["headers"])
        if counts["content-length"] and counts["transfer-encoding"]:
            detail = "Content-Length and Transfer-Encoding must not be sent together"
            headers = {"Connection": "close"}
            response = self._problems.response(scope["path"], AMBIGUOUS_FRAMING, detail, headers)
            await response(scope, receive, send)
            return
        repeated = sorted(name for name in self._single if counts[name] > 1)
        if repeated:
            detail = f"the {repeated[0]} header must be sent once"
            response = self._problems.response(scope["path"], REPEATED_HEADER, detail)
            await response(scope, receive, send)
            return
        await self._app(scope, receive, send)


# --8<-- [end:request-headers]
