"""The GraphQL endpoint, ``POST /api/v1/graphql``, beside the REST API (ADR 49).

The router is mounted among the contexts' routers, behind the same tenant access, so a
query without a valid access token or tenant is refused with the same problem document as a REST
request before any GraphQL runs. The schema is read-only: commands stay REST endpoints.
"""

from typing import Any, Protocol, runtime_checkable

import strawberry
from fastapi import Request
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from catalog.application.interfaces.product_queries import ProductQueries
from infrastructure_kernel.http.flags import TenantFlagsDep
from infrastructure_kernel.http.graphql_errors import ProblemErrors, ProblemGraphQLRouter
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.request_state import app_services, request_actor, request_tenant
from ordering.application.interfaces.order_queries import OrderQueries
from shared_kernel.tenancy import TenantId
from shop.presentation.api.graphql_schema import Query, ReadContext


@runtime_checkable
class ReadServices(Protocol):
    """What the GraphQL endpoint needs from the application serving it."""

    def product_queries(self, tenant_id: TenantId) -> ProductQueries:
        """The reads of ``tenant_id``'s products."""
        ...

    def order_queries(self, tenant_id: TenantId) -> OrderQueries:
        """The reads of ``tenant_id``'s orders."""
        ...


# --8<-- [start:limits]
# What one query may ask for. The deepest query the schema has (orders, items, lines,
# product, price, amount) is five levels below the operation: a type that links back (a
# product's orders) must not make it deeper. A page holds at most 100 items (the REST
# limit, checked by the same models), so aliases times pages bound the rows one request
# reads, and the tokens bound the work of parsing and validating it.
MAX_DEPTH = 5
MAX_ALIASES = 10
MAX_TOKENS = 1_000
# --8<-- [end:limits]


# --8<-- [start:router]
class QuietSchema(strawberry.Schema):
    """A schema that leaves the logging of errors to :class:`ProblemErrors`.

    Strawberry logs every error of every query at ERROR level, a client's typo included, so
    a hostile client could fill the logs; only a bug is the server's to log.
    """

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        """Log nothing: the client's faults are answered, and bugs were logged already."""


async def read_context(request: Request, flags: TenantFlagsDep) -> ReadContext:
    """The tenant's query objects and flags, and the actor, which the platform resolved."""
    services: ReadServices = app_services(request, ReadServices)
    tenant_id = request_tenant(request)
    return ReadContext(
        services.product_queries(tenant_id),
        services.order_queries(tenant_id),
        request_actor(request),
        flags,
    )


def graphql_router(problems: ProblemCatalog) -> ProblemGraphQLRouter[ReadContext]:
    """The GraphQL endpoint, with its limits, and errors typed by ``problems``."""
    schema = QuietSchema(
        query=Query,
        extensions=[
            # Factories: Strawberry makes each extension afresh for every operation.
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ProblemErrors(problems),
        ],
    )
    # No GraphiQL: it loads its scripts from a CDN, and the shop serves nothing that does.
    return ProblemGraphQLRouter(
        schema,
        path="/graphql",
        graphql_ide=None,
        allow_queries_via_get=False,
        subscription_protocols=(),  # a read-only schema: no subscriptions to carry
        context_getter=read_context,
        tags=["graphql"],
    )


# --8<-- [end:router]
