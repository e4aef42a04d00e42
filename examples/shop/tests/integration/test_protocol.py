"""The shop's HTTP edge as the protocol says it should be: every method of a resource in
``Allow``, ``HEAD`` on every ``GET``, headers that cannot mean one thing refused, the
headers every response carries, and problem documents that never echo a huge input.
"""

import re

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.anyio

PROBLEM_TYPES = "tag:shop.example,2025:problems/"
ACME = {"X-Tenant-ID": "acme"}
SMALL = 2048


async def a_product_and_an_order(client: httpx.AsyncClient) -> dict[str, str]:
    product = {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    product_id = (await client.post("/api/v1/products", json=product, headers=ACME)).json()["id"]
    lines = {"lines": [{"product_id": product_id, "quantity": 1}]}
    order_id = (await client.post("/api/v1/orders", json=lines, headers=ACME)).json()["id"]
    return {"product_id": product_id, "order_id": order_id}


# --8<-- [start:head-on-every-get-test]
@pytest.mark.usefixtures("tenants")
async def test_head_answers_like_get_without_a_body_on_every_resource(
    client: httpx.AsyncClient,
) -> None:
    ids = await a_product_and_an_order(client)
    document = (await client.get("/openapi.json")).json()
    paths = [path for path, operations in document["paths"].items() if "get" in operations]

    assert len(paths) >= 8
    for template in paths:
        path = re.sub(r"\{(\w+)\}", lambda name: ids[name[1]], template)
        got = await client.get(path, headers=ACME)
        head = await client.head(path, headers=ACME)
        assert (head.status_code, got.status_code, head.content) == (200, 200, b""), path
        assert head.headers["content-length"] == got.headers["content-length"], path


# --8<-- [end:head-on-every-get-test]


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/products", "GET, HEAD, OPTIONS, POST"),
        ("/api/v1/orders", "GET, HEAD, OPTIONS, POST"),
        ("/api/v1/orders/0b7e4c1e-5c4b-4f43-9a4e-9f5d0c3c2a11/pay", "OPTIONS, POST"),
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
