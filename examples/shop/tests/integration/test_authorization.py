"""Who may do what: every tenant-scoped endpoint, tried by every role, by outsiders and strangers.

The expectations are read from the one permission table: an endpoint that needs a
permission answers a role that holds it, and a role that does not gets a 403 problem of
type ``forbidden``. A member of acme reaches no globex data by any route, and a request
without a valid access token gets a 401 that says nothing more. A test checks that the
table below lists every tenant-scoped route the app has, so a new endpoint cannot go
untried.
"""

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from identity.domain.value_objects.permissions import ROLE_PERMISSIONS
from identity.domain.value_objects.role import Role
from ordering.application.dto.order_commands import CancelOrder, PayOrder, PlaceOrder
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.place_order import place_order
from payments.application.dto.payment_commands import StartPayment
from payments.application.use_cases.start_payment import start_payment
from shared_kernel.authorization import OPERATOR, Permission
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.settings import Settings

from .conftest import TokenFor, bearer, paying
from .payment_provider import Provider

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]


@pytest.fixture
def settings(settings: Settings, provider: Provider) -> Settings:
    """Payments through the tests' provider, so that starting a payment can succeed."""
    return paying(settings, provider)


PROBLEMS = "tag:shop.example,2025:problems/"
ACME = TenantId("acme")
PRICE = {"amount": "3.00", "currency": "EUR"}


async def seeded(services: Services, tenant_id: TenantId) -> dict[str, str]:
    """A product, and orders placed, paid and cancelled, added by the operator."""
    body = {"sku": "MUG-1", "name": "Mug", "price": PRICE}
    product = await add_product(
        AddProduct.model_validate(body), services.catalog_unit_of_work(tenant_id), actor=OPERATOR
    )
    ids = {"product": str(product.id)}
    for name in ["placed", "paid", "cancelled"]:
        command = PlaceOrder.model_validate(
            {"lines": [{"product_id": ids["product"], "quantity": 1}]}
        )
        placed = await place_order(
            command, services.ordering_unit_of_work(tenant_id), services.clock, actor=OPERATOR
        )
        ids[name] = str(placed.order.id)
    paid, cancelled = PayOrder(order_id=ids["paid"]), CancelOrder(order_id=ids["cancelled"])
    await pay_order(paid, services.ordering_unit_of_work(tenant_id), actor=OPERATOR)
    await cancel_order(cancelled, services.ordering_unit_of_work(tenant_id), actor=OPERATOR)
    provider = services.payment_provider()
    assert provider is not None
    started = await start_payment(
        StartPayment(order_id=UUID(ids["placed"])),
        tenant_id,
        payments=services.payment_repository(),
        orders=services.order_payments(tenant_id),
        provider=provider,
        clock=services.clock,
        actor=OPERATOR,
    )
    ids["payment"] = str(started.payment.id)
    return ids


# --8<-- [start:endpoints]
@dataclass(frozen=True)
class Endpoint:
    """One tenant-scoped route, a request to it, and the permission it needs."""

    method: str
    path: str  # the route's template, as the app declares it
    needs: Permission | None  # None: any member of the tenant
    body: Any = None
    graphql: str | None = None

    def url(self, ids: dict[str, str]) -> str:
        path = self.path.replace("{product_id}", ids["product"])
        path = path.replace("{payment_id}", ids["payment"])
        order = ids["paid"] if self.path.endswith("/ship") else ids["placed"]
        if self.path.endswith("/status-events"):
            order = ids["cancelled"]  # a final status: the stream ends after one event
        return "/api/v1" + path.replace("{order_id}", order)

    def send(
        self, client: httpx.AsyncClient, ids: dict[str, str], headers: dict[str, str]
    ) -> Awaitable[httpx.Response]:
        body = {"query": self.graphql} if self.graphql else self.body
        if callable(body):  # a body that names the seeded ids
            body = body(ids)
        return client.request(self.method, self.url(ids), json=body, headers=headers)


ENDPOINTS = [
    Endpoint("GET", "/tenant", None),
    Endpoint("GET", "/products", Permission.CATALOG_READ),
    Endpoint("GET", "/products/{product_id}", Permission.CATALOG_READ),
    Endpoint(
        "POST", "/products", Permission.CATALOG_WRITE, {"sku": "NEW-1", "name": "N", "price": PRICE}
    ),
    Endpoint("POST", "/products/{product_id}/reprice", Permission.CATALOG_WRITE, {"price": PRICE}),
    Endpoint("POST", "/products/{product_id}/discontinue", Permission.CATALOG_WRITE),
    Endpoint("GET", "/orders", Permission.ORDERS_READ_OWN),
    Endpoint("GET", "/orders/{order_id}", Permission.ORDERS_READ_OWN),
    Endpoint(
        "POST",
        "/orders",
        Permission.ORDERS_PLACE,
        lambda ids: {"lines": [{"product_id": ids["product"], "quantity": 1}]},
    ),
    Endpoint("POST", "/orders/{order_id}/ship", Permission.ORDERS_SHIP),
    Endpoint("POST", "/orders/{order_id}/cancel", Permission.ORDERS_CANCEL),
    Endpoint("GET", "/orders/{order_id}/status-events", Permission.ORDERS_READ_OWN),
    Endpoint("GET", "/audit-entries", Permission.AUDIT_READ),
    Endpoint(
        "POST", "/payments", Permission.PAYMENTS_START, lambda ids: {"order_id": ids["placed"]}
    ),
    Endpoint("GET", "/payments/{payment_id}", Permission.PAYMENTS_READ),
    Endpoint("POST", "/graphql", Permission.CATALOG_READ, graphql="{ products { items { sku } } }"),
    Endpoint("POST", "/graphql", Permission.ORDERS_READ_OWN, graphql="{ orders { items { id } } }"),
]
# --8<-- [end:endpoints]


def ids_of(endpoint: Endpoint) -> str:
    return f"{endpoint.method} {endpoint.path} {endpoint.needs or 'member'}"


def tenant_scoped_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every operation of the app's document that the tenant access stands in front of.

    The access's ``X-Tenant-ID`` parameter marks them: the router-level dependency adds
    it to every operation of the routers it guards, and to no other.
    """
    return {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in app.openapi()["paths"].items()
        for method, operation in operations.items()
        if any(
            parameter["name"].lower() == "x-tenant-id"
            for parameter in operation.get("parameters", [])
        )
    }


async def test_the_table_lists_every_tenant_scoped_route_and_no_other(app: FastAPI) -> None:
    listed = {(endpoint.method, endpoint.path) for endpoint in ENDPOINTS}

    assert tenant_scoped_routes(app) == listed


def refused(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == PROBLEMS + kind
    return problem


def allowed(response: httpx.Response, endpoint: Endpoint) -> None:
    assert response.is_success, response.text
    if endpoint.graphql:
        assert "errors" not in response.json(), response.text


# --8<-- [start:role-matrix]
def sees_none_of_the_seeded_orders(response: httpx.Response, endpoint: Endpoint) -> None:
    """What a role that reads only its own orders gets: the seeded ones are the operator's."""
    if "{order_id}" in endpoint.path:  # as absent as an order that does not exist
        refused(response, 404, "order-not-found")
    elif endpoint.graphql:
        allowed(response, endpoint)
        assert response.json()["data"]["orders"]["items"] == []
    else:
        allowed(response, endpoint)
        assert response.json()["items"] == []


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids_of)
@pytest.mark.parametrize("role", list(Role))
async def test_each_role_may_call_an_endpoint_exactly_if_its_permissions_say_so(
    anonymous: httpx.AsyncClient,
    services: Services,
    token_for: TokenFor,
    role: Role,
    endpoint: Endpoint,
) -> None:
    ids = await seeded(services, ACME)
    headers = {"X-Tenant-ID": "acme", **bearer(token_for(acme=role))}

    response = await endpoint.send(anonymous, ids, headers)

    permissions = ROLE_PERMISSIONS[role]
    if endpoint.needs is Permission.ORDERS_READ_OWN and Permission.ORDERS_READ not in permissions:
        sees_none_of_the_seeded_orders(response, endpoint)
    elif endpoint.needs is None or endpoint.needs in permissions:
        allowed(response, endpoint)
    else:  # every role reads some of each GraphQL field, so only REST refuses here
        problem = refused(response, 403, "forbidden")
        assert problem["detail"] == f"your role in this tenant does not allow {endpoint.needs}"


# --8<-- [end:role-matrix]


# --8<-- [start:own-orders]
async def test_a_customer_reads_their_own_orders_and_no_one_elses_by_any_route(
    anonymous: httpx.AsyncClient, services: Services, token_for: TokenFor
) -> None:
    ids = await seeded(services, ACME)  # the operator's orders, and a product
    ann, bob = ({"X-Tenant-ID": "acme", **bearer(token_for(acme=Role.CUSTOMER))} for _ in range(2))
    lines = {"lines": [{"product_id": ids["product"], "quantity": 1}]}
    placed = await anonymous.post("/api/v1/orders", json=lines, headers=ann)
    anns = placed.json()["id"]
    orders = {"query": "{ orders { items { id } } }"}

    def listed(response: httpx.Response) -> list[str]:
        assert response.status_code == 200, response.text
        body = response.json()
        items = body["data"]["orders"]["items"] if "data" in body else body["items"]
        return [item["id"] for item in items]

    assert listed(await anonymous.get("/api/v1/orders", headers=ann)) == [anns]
    assert listed(await anonymous.post("/api/v1/graphql", json=orders, headers=ann)) == [anns]
    assert (await anonymous.get(f"/api/v1/orders/{anns}", headers=ann)).json()["id"] == anns
    assert listed(await anonymous.get("/api/v1/orders", headers=bob)) == []
    assert listed(await anonymous.post("/api/v1/graphql", json=orders, headers=bob)) == []
    for path in [f"/orders/{anns}", f"/orders/{anns}/status-events"]:
        refused(await anonymous.get(f"/api/v1{path}", headers=bob), 404, "order-not-found")


# --8<-- [end:own-orders]


async def test_a_customer_follows_their_own_order_on_its_status_stream(
    anonymous: httpx.AsyncClient, services: Services, token_for: TokenFor
) -> None:
    ids = await seeded(services, ACME)
    ann = {"X-Tenant-ID": "acme", **bearer(token_for(acme=Role.CUSTOMER))}
    lines = {"lines": [{"product_id": ids["product"], "quantity": 1}]}
    anns = (await anonymous.post("/api/v1/orders", json=lines, headers=ann)).json()["id"]
    # Cancelled by staff, so that ann's stream of her order ends after its one event.
    cancel = CancelOrder(order_id=UUID(anns))
    await cancel_order(cancel, services.ordering_unit_of_work(ACME), actor=OPERATOR)

    stream = await anonymous.get(f"/api/v1/orders/{anns}/status-events", headers=ann)

    assert stream.status_code == 200, stream.text
    assert '"status":"cancelled"' in stream.text.replace(" ", ""), stream.text


# --8<-- [start:other-tenant]
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids_of)
async def test_a_member_of_acme_reaches_nothing_of_globex_by_any_route(
    anonymous: httpx.AsyncClient, services: Services, token_for: TokenFor, endpoint: Endpoint
) -> None:
    globex = await seeded(services, TenantId("globex"))
    owner = bearer(token_for(acme=Role.OWNER))

    as_globex = await endpoint.send(anonymous, globex, {"X-Tenant-ID": "globex", **owner})
    as_nobody = await endpoint.send(anonymous, globex, {"X-Tenant-ID": "nowhere", **owner})

    # A tenant the caller does not belong to is answered as one that does not exist.
    assert refused(as_globex, 404, "unknown-tenant")["title"] == "Unknown tenant"
    assert refused(as_nobody, 404, "unknown-tenant").keys() == as_globex.json().keys()


# --8<-- [end:other-tenant]


async def test_globex_ids_sent_as_acme_are_not_found(
    anonymous: httpx.AsyncClient, services: Services, token_for: TokenFor
) -> None:
    globex = await seeded(services, TenantId("globex"))
    headers = bearer(token_for(acme=Role.OWNER))  # one membership: no header needed

    product = await anonymous.get(f"/api/v1/products/{globex['product']}", headers=headers)
    order = await anonymous.post(f"/api/v1/orders/{globex['placed']}/cancel", headers=headers)

    refused(product, 404, "product-not-found")
    refused(order, 404, "order-not-found")


# --8<-- [start:no-token]
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ids_of)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Basic YW5uOnB3"],
    ids=["no token", "bad token", "not a bearer"],
)
async def test_without_a_valid_token_every_route_is_a_401_that_says_nothing_more(
    anonymous: httpx.AsyncClient, endpoint: Endpoint, authorization: str | None
) -> None:
    ids = dict.fromkeys(["product", "placed", "paid", "cancelled", "payment"], "0" * 32)
    headers = {"X-Tenant-ID": "acme"} | ({"Authorization": authorization} if authorization else {})

    response = await endpoint.send(anonymous, ids, headers)

    problem = refused(response, 401, "authentication-required")
    assert problem["detail"] == "a valid access token is required"
    assert "acme" not in response.text
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="shop"')


# --8<-- [end:no-token]


async def test_a_token_of_another_issuer_key_is_refused_before_the_header_is_read(
    anonymous: httpx.AsyncClient,
) -> None:
    forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."  # alg: none
    headers = {"X-Tenant-ID": "NOT A TENANT", **bearer(forged)}

    response = await anonymous.get("/api/v1/tenant", headers=headers)

    refused(response, 401, "authentication-required")


# --8<-- [start:choosing]
async def test_the_header_may_be_left_out_by_a_member_of_one_tenant_only(
    anonymous: httpx.AsyncClient, token_for: TokenFor
) -> None:
    one = await anonymous.get("/api/v1/tenant", headers=bearer(token_for(globex=Role.CLERK)))
    two = await anonymous.get(
        "/api/v1/tenant", headers=bearer(token_for(acme=Role.CLERK, globex=Role.OWNER))
    )
    none = await anonymous.get("/api/v1/tenant", headers=bearer(token_for()))

    assert one.json()["tenant_id"] == "globex"
    refused(two, 400, "tenant-missing")
    refused(none, 400, "tenant-missing")


# --8<-- [end:choosing]


async def test_a_malformed_header_of_a_member_is_a_400(
    anonymous: httpx.AsyncClient, token_for: TokenFor
) -> None:
    headers = {"X-Tenant-ID": "Not A Tenant", **bearer(token_for(acme=Role.OWNER))}

    refused(await anonymous.get("/api/v1/tenant", headers=headers), 400, "tenant-malformed")


async def test_the_role_is_the_one_held_in_the_tenant_acted_for(
    anonymous: httpx.AsyncClient, services: Services, token_for: TokenFor
) -> None:
    await seeded(services, ACME)
    token = bearer(token_for(acme=Role.CUSTOMER, globex=Role.OWNER))

    audit = "/api/v1/audit-entries"
    as_customer = await anonymous.get(audit, headers={"X-Tenant-ID": "acme", **token})
    as_owner = await anonymous.get(audit, headers={"X-Tenant-ID": "globex", **token})

    refused(as_customer, 403, "forbidden")
    assert as_owner.status_code == 200
