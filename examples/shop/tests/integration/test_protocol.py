"""The shop's HTTP edge as the protocol says it should be: every method of a resource in
``Allow``, ``HEAD`` on every ``GET``, headers that cannot mean one thing refused, the
headers every response carries, and problem documents that never echo a huge input.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from payments.domain.entities.payment import Payment
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .conftest import owner_of_both

pytestmark = pytest.mark.anyio

PROBLEM_TYPES = "tag:shop.example,2025:problems/"
ACME = {"X-Tenant-ID": "acme"}
SMALL = 2048


async def a_product_and_an_order(client: httpx.AsyncClient, services: Services) -> dict[str, str]:
    product = {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    product_id = (await client.post("/api/v1/products", json=product, headers=ACME)).json()["id"]
    lines = {"lines": [{"product_id": product_id, "quantity": 1}]}
    order_id = (await client.post("/api/v1/orders", json=lines, headers=ACME)).json()["id"]
    # A pending payment of the order, stored as starting one stores it: the app here has
    # no payment provider to ask.
    payment = Payment.start(
        uuid4(),
        TenantId("acme"),
        UUID(order_id),
        attempt=1,
        amount=Money(Decimal("12.50"), "EUR"),
        now=datetime.now(UTC),
    )
    await services.payment_repository().add(payment)
    return {"product_id": product_id, "order_id": order_id, "payment_id": str(payment.id)}


async def an_access_token(client: httpx.AsyncClient, services: Services) -> str:
    """Register an owner of acme and log in, for the endpoints that need to know who calls."""
    user = {"email": "ann@example.org", "display_name": "Ann", "password": "x" * 12}
    user_id = (await client.post("/api/v1/auth/register", json=user)).json()["user_id"]
    owner = Membership(TenantId("acme"), Role.OWNER)
    await services.users().grant(UserId.from_subject(user_id), owner)
    form = {"grant_type": "password", "username": user["email"], "password": user["password"]}
    token: str = (await client.post("/api/v1/auth/token", data=form)).json()["access_token"]
    return token


def streams(operation: dict[str, Any]) -> bool:
    # A stream of an open order never ends: its own tests read it as far as they need.
    return "text/event-stream" in operation["responses"].get("200", {}).get("content", {})


# --8<-- [start:head-on-every-get-test]
@pytest.mark.usefixtures("tenants")
async def test_head_answers_like_get_without_a_body_on_every_resource(
    client: httpx.AsyncClient, services: Services
) -> None:
    ids = await a_product_and_an_order(client, services)
    headers = {**ACME, "Authorization": f"Bearer {await an_access_token(client, services)}"}
    document = (await client.get("/openapi.json")).json()
    paths = [
        path
        for path, operations in document["paths"].items()
        if "get" in operations and not streams(operations["get"])
    ]

    assert len(paths) >= 8
    for template in paths:
        path = re.sub(r"\{(\w+)\}", lambda name: ids[name[1]], template)
        got = await client.get(path, headers=headers)
        head = await client.head(path, headers=headers)
        assert (head.status_code, got.status_code, head.content) == (200, 200, b""), path
        assert head.headers["content-length"] == got.headers["content-length"], path


# --8<-- [end:head-on-every-get-test]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/products", "GET, HEAD, OPTIONS, POST"),
        ("/api/v1/orders", "GET, HEAD, OPTIONS, POST"),
        ("/api/v1/orders/0b7e4c1e-5c4b-4f43-9a4e-9f5d0c3c2a11/ship", "OPTIONS, POST"),
        ("/api/v1/health/ready", "GET, HEAD, OPTIONS"),
    ],
)
async def test_options_and_a_wrong_method_name_every_method_of_the_resource(
    client: httpx.AsyncClient, path: str, allowed: str
) -> None:
    options = await client.options(path)  # no tenant needed to ask what a path allows
    wrong = await client.put(path, headers=ACME)

    assert (options.status_code, options.headers["allow"]) == (204, allowed)
    assert (wrong.status_code, wrong.headers["allow"]) == (405, allowed)


# --8<-- [start:repeated-tenant-test]
@pytest.mark.usefixtures("tenants")
async def test_a_repeated_tenant_header_is_a_400_not_its_first_value(
    client: httpx.AsyncClient,
) -> None:
    both = [("X-Tenant-ID", "acme"), ("X-Tenant-ID", "globex")]

    response = await client.get("/api/v1/tenant", headers=both)

    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == PROBLEM_TYPES + "repeated-header"
    assert problem["detail"] == "the x-tenant-id header must be sent once"


async def test_a_60_kb_header_gives_a_small_problem_document(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/tenant", headers={"X-Tenant-ID": "a" * 60_000})

    assert response.status_code == 400
    assert response.json()["type"] == PROBLEM_TYPES + "tenant-malformed"
    assert len(response.content) < SMALL


# --8<-- [end:repeated-tenant-test]


@pytest.mark.usefixtures("tenants")
@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/nothing", "/api/v1/health/live"])
async def test_every_response_forbids_sniffing_and_storing(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path, headers=ACME)

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


# Hypothesis runs the examples on one app: none of them changes anything it holds.
@pytest.mark.usefixtures("tenants")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(
        st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=300),
        min_size=1,
        max_size=3,
    )
)
@example(values=["acme", "acme"])
@example(values=["ACME" * 20_000])
async def test_no_tenant_header_gets_a_5xx_or_a_large_answer(
    client: httpx.AsyncClient, values: list[str]
) -> None:
    # As bytes: a server hands on any byte from 0x80 up (obs-text), which is not UTF-8.
    headers = [(b"X-Tenant-ID", value.encode("latin-1").strip()) for value in values]

    response = await client.get("/api/v1/tenant", headers=headers)

    if len(values) > 1:
        assert response.status_code == 400
    assert response.status_code in {200, 400, 404}
    assert len(response.content) < SMALL


# --- the Host header is never trusted ---------------------------------------------------

EVIL = {**ACME, "Host": "evil.example"}


def shop_with(services: Services, **settings: Any) -> httpx.AsyncClient:
    """A client, as an owner of both tenants, of the shop with ``settings`` changed."""
    changed = Settings(_env_file=None, database_url=services.settings.database_url, **settings)
    other = Services(settings=changed, engine=services.engine, clock=services.clock)
    transport = httpx.ASGITransport(app=shop_app(other))
    owner = owner_of_both(other)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=owner)


# --8<-- [start:host-header-test]
@pytest.mark.usefixtures("tenants")
async def test_locations_never_name_the_host_the_request_named(client: httpx.AsyncClient) -> None:
    product = {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    added = await client.post("/api/v1/products", json=product, headers=EVIL)
    lines = {"lines": [{"product_id": added.json()["id"], "quantity": 1}]}
    placed = await client.post("/api/v1/orders", json=lines, headers=EVIL)

    assert added.headers["location"] == f"/api/v1/products/{added.json()['id']}"
    assert placed.headers["location"] == f"/api/v1/orders/{placed.json()['id']}"


@pytest.mark.usefixtures("tenants")
async def test_locations_start_with_the_public_base_url(services: Services) -> None:
    product = {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}

    async with shop_with(services, public_base_url="https://shop.example") as client:
        added = await client.post("/api/v1/products", json=product, headers=EVIL)

    assert added.headers["location"] == f"https://shop.example/api/v1/products/{added.json()['id']}"


async def test_a_host_the_shop_does_not_serve_is_a_400(services: Services) -> None:
    async with shop_with(services, trusted_hosts=["shop.example"]) as client:
        evil = await client.get("/api/v1/health/live", headers={"Host": "evil.example"})
        served = await client.get("/api/v1/health/live", headers={"Host": "shop.example"})

    assert (evil.status_code, evil.json()["type"]) == (400, PROBLEM_TYPES + "unknown-host")
    assert served.status_code == 200


async def test_a_trailing_slash_is_a_404_and_never_a_redirect(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/products/", headers=EVIL)

    assert response.status_code == 404
    assert "location" not in response.headers


# --8<-- [end:host-header-test]
