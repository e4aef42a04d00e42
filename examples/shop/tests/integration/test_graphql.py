"""The GraphQL endpoint in-process: the REST API's reads, batched, limited, typed errors.

Hostile queries (too deep, too many aliases, wrong types, garbage) are answered with
GraphQL errors, never a 500, and the tenant is resolved as for every REST request.
"""

import json
import logging
from typing import Any
from uuid import uuid4

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from shared_kernel.authorization import OPERATOR, Permission
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.presentation.api import tenant_access
from shop.presentation.api.graphql import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS

pytestmark = pytest.mark.anyio

PROBLEMS = "tag:shop.example,2025:problems/"
GRAPHQL = "/api/v1/graphql"
AS_ACME = {"X-Tenant-ID": "acme"}
ACME = TenantId("acme")


async def add(services: Services, sku: str, amount: str = "2.50") -> str:
    command = AddProduct.model_validate(
        {"sku": sku, "name": f"Product {sku}", "price": {"amount": amount, "currency": "EUR"}}
    )
    return str((await add_product(command, services.catalog_unit_of_work(ACME), actor=OPERATOR)).id)


async def ask(
    client: httpx.AsyncClient, query: str, headers: dict[str, str] = AS_ACME, **variables: Any
) -> dict[str, Any]:
    response = await client.post(
        GRAPHQL, json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def place(client: httpx.AsyncClient, *lines: tuple[str, int]) -> str:
    body = {"lines": [{"product_id": product, "quantity": qty} for product, qty in lines]}
    response = await client.post("/api/v1/orders", headers=AS_ACME, json=body)
    assert response.status_code == 201, response.text
    order_id: str = response.json()["id"]
    return order_id


PRODUCTS = """query($after: String, $limit: Int!) {
    products(after: $after, limit: $limit) {
        items { sku price { amount currency } active } nextCursor
    }
}"""


@pytest.mark.usefixtures("tenants")
async def test_products_are_the_rest_lists_pages(
    client: httpx.AsyncClient, services: Services
) -> None:
    for sku in ["CUP-1", "MUG-1", "BOWL-1"]:
        await add(services, sku)
    first = (await ask(client, PRODUCTS, limit=2))["data"]["products"]
    rest = (await client.get("/api/v1/products", params={"limit": 2}, headers=AS_ACME)).json()
    assert [item["sku"] for item in first["items"]] == [item["sku"] for item in rest["items"]]
    assert first["nextCursor"] == rest["next_cursor"]
    second = (await ask(client, PRODUCTS, after=first["nextCursor"], limit=2))["data"]
    assert second["products"] == {
        "items": [{"sku": "MUG-1", "price": {"amount": "2.50", "currency": "EUR"}, "active": True}],
        "nextCursor": None,
    }


# --8<-- [start:n-plus-one-test]
ORDERS = """{ orders(limit: 50) { items { status total { amount }
    lines { quantity product { sku active } } } nextCursor } }"""


@pytest.mark.usefixtures("tenants")
async def test_nested_products_cost_one_statement_however_many_orders(
    client: httpx.AsyncClient, services: Services, count_statements: Any
) -> None:
    mug, pen = await add(services, "MUG-1"), await add(services, "PEN-1")
    for _ in range(10):
        await place(client, (mug, 1), (pen, 2))
    with count_statements() as statements:
        answer = await ask(client, ORDERS)
    orders = answer["data"]["orders"]["items"]
    assert len(orders) == 10
    assert orders[0]["lines"][1] == {"quantity": 2, "product": {"sku": "PEN-1", "active": True}}
    # The page of orders, all their lines, and all their products: three. (The tenant was
    # found by the first request, and is not looked up again.)
    assert len(statements) == 3, statements


# --8<-- [end:n-plus-one-test]


@pytest.mark.usefixtures("tenants")
async def test_one_order_and_one_product_by_id(
    client: httpx.AsyncClient, services: Services
) -> None:
    mug = await add(services, "MUG-1", "3.00")
    order_id = await place(client, (mug, 2))
    query = """query($o: UUID!, $p: UUID!) {
        order(id: $o) { id status total { amount } } product(id: $p) { name }
    }"""
    data = (await ask(client, query, o=order_id, p=mug))["data"]
    assert data["order"] == {"id": order_id, "status": "PLACED", "total": {"amount": "6.00"}}
    assert data["product"] == {"name": "Product MUG-1"}
    placed = "{ orders(status: PLACED) { items { id } } }"
    assert (await ask(client, placed))["data"]["orders"]["items"] == [{"id": order_id}]


# --8<-- [start:typed-errors-test]
@pytest.mark.usefixtures("tenants")
async def test_errors_carry_the_rest_apis_problem_types(client: httpx.AsyncClient) -> None:
    missing = await ask(client, "query($id: UUID!) { order(id: $id) { id } }", id=str(uuid4()))
    assert missing["data"] is None
    (error,) = missing["errors"]
    assert error["path"] == ["order"]
    assert error["extensions"] == {
        "type": PROBLEMS + "order-not-found",
        "title": "No such order",
        "status": 404,
    }
    too_many = await ask(client, "{ products(limit: 1000) { nextCursor } }")
    assert too_many["errors"][0]["extensions"]["type"] == PROBLEMS + "invalid-request"
    assert "limit" in too_many["errors"][0]["message"]
    forged = await ask(client, '{ orders(after: "forged") { nextCursor } }')
    assert forged["errors"][0]["extensions"]["type"] == PROBLEMS + "invalid-cursor"


# --8<-- [end:typed-errors-test]


@pytest.mark.usefixtures("tenants")
async def test_a_field_the_role_may_not_read_is_a_forbidden_error(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every role of the shop reads some orders; this one is made to read only the catalog.
    catalog_only = frozenset({Permission.CATALOG_READ})
    monkeypatch.setattr(tenant_access, "permissions_of", lambda _role: catalog_only)

    answer = await ask(client, "{ orders { nextCursor } }")

    assert answer["data"] is None
    (error,) = answer["errors"]
    assert error["path"] == ["orders"]
    assert error["extensions"]["type"] == PROBLEMS + "forbidden"
    assert error["message"] == "your role in this tenant does not allow orders:read-own"


@pytest.mark.usefixtures("tenants")
async def test_a_missing_product_is_product_not_found(client: httpx.AsyncClient) -> None:
    missing = await ask(client, "query($id: UUID!) { product(id: $id) { sku } }", id=str(uuid4()))
    assert missing["errors"][0]["extensions"]["type"] == PROBLEMS + "product-not-found"


@pytest.mark.usefixtures("tenants")
async def test_the_tenant_is_resolved_as_for_rest(client: httpx.AsyncClient) -> None:
    query = {"query": "{ products { nextCursor } }"}
    for headers, slug in [
        ({}, "tenant-missing"),
        ({"X-Tenant-ID": "-"}, "tenant-malformed"),
        ({"X-Tenant-ID": "nobody"}, "unknown-tenant"),
    ]:
        response = await client.post(GRAPHQL, json=query, headers=headers)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == PROBLEMS + slug


@pytest.mark.usefixtures("tenants")
async def test_another_tenants_order_is_absent(
    client: httpx.AsyncClient, services: Services
) -> None:
    order_id = await place(client, (await add(services, "MUG-1"), 1))
    answer = await ask(
        client,
        "query($id: UUID!) { order(id: $id) { id } }",
        headers={"X-Tenant-ID": "globex"},
        id=order_id,
    )
    assert answer["errors"][0]["extensions"]["type"] == PROBLEMS + "order-not-found"
    listed = await ask(client, "{ orders { items { id } } }", headers={"X-Tenant-ID": "globex"})
    assert listed["data"]["orders"]["items"] == []


# --8<-- [start:limits-test]
DEEPEST = "{ orders { items { lines { product { price { amount } } } } } }"


@pytest.mark.usefixtures("tenants")
async def test_too_deep_too_many_aliases_or_too_long_is_refused_before_running(
    client: httpx.AsyncClient, count_statements: Any
) -> None:
    assert "errors" not in await ask(client, DEEPEST)  # the deepest the schema has
    deeper = DEEPEST.replace("amount", "amount { digits }")
    aliases = " ".join(f"a{i}: products {{ nextCursor }}" for i in range(MAX_ALIASES + 1))
    long = "{ products { " + "nextCursor " * MAX_TOKENS + "} }"
    with count_statements() as statements:
        too_deep = await ask(client, deeper)
        too_many = await ask(client, "{ " + aliases + " }")
        too_long = await ask(client, long)
    assert f"exceeds maximum operation depth of {MAX_DEPTH}" in str(too_deep["errors"])
    assert "aliases found" in too_many["errors"][0]["message"]
    assert "token" in too_long["errors"][0]["message"]
    assert statements == []  # no resolver ran, and the tenant was found before


# --8<-- [end:limits-test]


@pytest.mark.usefixtures("tenants")
async def test_a_bug_in_a_resolver_is_logged_and_masked(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        async def list_page(self, **_: Any) -> Any:
            raise RuntimeError("secret internals")

    monkeypatch.setattr(Services, "product_queries", lambda _self, _tenant: Broken())
    with caplog.at_level(logging.ERROR):
        answer = await ask(client, "{ products { nextCursor } }")
    assert answer["errors"][0]["message"] == "Unexpected error."
    assert "extensions" not in answer["errors"][0]
    assert "secret" not in json.dumps(answer)
    assert "unexpected error in a GraphQL resolver" in caplog.text


@pytest.mark.usefixtures("tenants")
async def test_a_request_that_is_not_graphql_is_a_problem_document(
    client: httpx.AsyncClient,
) -> None:
    for body in [{"variables": {}}, {"query": ""}]:
        response = await client.post(GRAPHQL, json=body, headers=AS_ACME)
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "No GraphQL query found in the request"
    garbage = await client.post(
        GRAPHQL, content=b"{", headers={**AS_ACME, "Content-Type": "application/json"}
    )
    assert garbage.status_code == 400
    assert garbage.headers["content-type"] == "application/problem+json"


# --- Hostile queries ----------------------------------------------------------------------

hostile_documents = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda n: "{ " + "orders { items { " * n + "id" + " } }" * n + " }", st.integers(1, 60)
    ),
    st.builds(
        lambda n: "{ " + " ".join(f"a{i}: products {{ nextCursor }}" for i in range(n)) + " }",
        st.integers(0, 300),
    ),
    st.builds(lambda s: '{ products(limit: "' + s + '") { nextCursor } }', st.text(max_size=40)),
    st.builds(
        lambda s: "{ products(after: " + json.dumps(s) + ") { nextCursor } }", st.text(max_size=200)
    ),
)
hostile_variables = st.dictionaries(
    st.sampled_from(["id", "limit", "after", "status"]),
    st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=50),
        st.floats(allow_nan=False, allow_infinity=False),
        st.lists(st.integers()),
    ),
)


@pytest.mark.usefixtures("tenants")
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(document=hostile_documents, variables=hostile_variables)
async def test_hostile_queries_are_graphql_errors_never_a_500(
    client: httpx.AsyncClient, document: str, variables: dict[str, Any]
) -> None:
    response = await client.post(
        GRAPHQL, json={"query": document, "variables": variables}, headers=AS_ACME
    )
    if response.status_code == 400:  # not a GraphQL request at all: no query in it
        assert response.headers["content-type"] == "application/problem+json"
        return
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer.get("errors") or "data" in answer
    for error in answer.get("errors", []):
        assert error["message"] != "Unexpected error.", error
