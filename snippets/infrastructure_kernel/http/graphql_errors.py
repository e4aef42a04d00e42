"""GraphQL errors that carry the problem types of the REST API's problem documents."""

import logging
from typing import Any, TypeVar

from cross_web import HTTPException as GraphQLHTTPException
from graphql.error import GraphQLError
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from strawberry.extensions import MaskErrors
from strawberry.fastapi import BaseContext, GraphQLRouter

from infrastructure_kernel.http.exception_handlers import INVALID_REQUEST
from infrastructure_kernel.http.problems import ProblemCatalog, ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy

logger = logging.getLogger(__name__)

GRAPHQL_REFUSED = ProblemType(400, "", "Bad Request")
"""A GraphQL request refused before it ran (no query, not JSON): ``about:blank``."""
REMEDIES: Remedies = {
    "400": Remedy(
        "The GraphQL endpoint was sent no query, or a body it cannot read; the detail says which.",
        'POST {"query": "..."} as JSON, or GET with ?query=...; errors inside a query are'
        " answered with 200 and an errors list that names each.",
    ),
}

ContextT = TypeVar("ContextT", bound=BaseContext)


# --8<-- [start:problem-errors]
class ProblemErrors(MaskErrors):
    """Strawberry's error masking, with each known error's problem type in its extensions.

    A GraphQL response answers 200 with an ``errors`` list, so the status is not the
    client's guide; the ``type`` in each error's ``extensions`` is, the same URI the REST
    API's problem document would carry for the same fault. Three kinds:

    - the query itself is wrong (syntax, an unknown field, a variable of the wrong type,
      too deep or too many aliases): GraphQL's own message, which names the place;
    - a registered error of the domain or the application, or arguments out of range:
      its message, with ``type``, ``title`` and ``status`` in ``extensions``;
    - anything else is a bug: logged with its traceback, answered "Unexpected error."
    """

    def __init__(self, problems: ProblemCatalog) -> None:
        super().__init__()
        self._problems = problems

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        """Answer ``error`` as one of the three kinds above."""
        cause = error.original_error
        if cause is None:
            return error  # a fault of the query, found by GraphQL's validation
        if isinstance(cause, ValidationError):
            kind = INVALID_REQUEST
            message = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in cause.errors())
        else:
            try:
                kind = self._problems.find(cause)
            except LookupError:
                logger.error("unexpected error in a GraphQL resolver", exc_info=cause)
                return super().anonymise_error(error)
            message = str(cause)
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=self._extensions(kind),
        )

    def _extensions(self, kind: ProblemType) -> dict[str, object]:
        return {
            "type": self._problems.type_base + kind.slug,
            "title": kind.title,
            "status": kind.status,
        }


# --8<-- [end:problem-errors]


# --8<-- [start:problem-router]
class ProblemGraphQLRouter(GraphQLRouter[ContextT, None]):
    """Strawberry's FastAPI router, whose refusals of a request are problem documents.

    Strawberry answers a request it cannot read as GraphQL (no query, a body that is not
    JSON) with a plain-text 400; here it is raised as an HTTP error, which the edge's
    handlers answer as every routing error: a problem document with the reason as detail.
    """

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        """Run the request; raise Strawberry's refusal of it as an HTTP error."""
        try:
            return await super().run(request, context, root_value)
        except GraphQLHTTPException as refused:
            raise HTTPException(refused.status_code, refused.reason) from refused


# --8<-- [end:problem-router]
