"""Every field, header, path and query parameter of the shop under hostile values.

Property-based: Hypothesis draws the values (:mod:`infrastructure_kernel.http.hostile_input`),
on SQLite and, when ``DATABASE_URL`` is set, on PostgreSQL. Whatever is sent, the answer
is a success or a 4xx problem document naming the field, never a 5xx; text that is
accepted is stored and read back unchanged, so both databases answer alike.
"""

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import strategies as st

from infrastructure_kernel.http.hostile_input import (
    assert_names_the_field,
    calendar_edges,
    cursor_of,
    for_each_example,
    hostile_cursors,
    hostile_header_values,
    hostile_text,
    hostile_values,
    json_content,
    quoted,
)

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("acme")]

ACME = {"X-Tenant-ID": "acme"}
PRODUCTS, ORDERS = "/api/v1/products", "/api/v1/orders"
AUDIT_ENTRIES = "/api/v1/audit-entries"
SOME_ID = "9b2e3b8e-6c52-4d47-9c43-0a0c9b8e1f11"


def new_product(number: int, **fields: Any) -> dict[str, Any]:
    """A valid product body, with ``fields`` replaced."""
    body = {"sku": f"H-{number:06}", "name": "Mug", "price": {"amount": "1.00", "currency": "EUR"}}
    return {**body, **fields}


async def added_product(client: httpx.AsyncClient) -> str:
    response = await client.post(PRODUCTS, json=new_product(0), headers=ACME)
    assert response.status_code == 201, response.text
    product_id: str = response.json()["id"]
    return product_id


# --8<-- [start:hostile-body-test]
BODY_FIELDS: dict[str, Callable[[Any, int], dict[str, Any]]] = {
    "sku": lambda value, n: new_product(n, sku=value),
    "name": lambda value, n: new_product(n, name=value),
    "price": lambda value, n: new_product(n, price=value),
    "amount": lambda value, n: new_product(n, price={"amount": value, "currency": "EUR"}),
    "currency": lambda value, n: new_product(n, price={"amount": "1.00", "currency": value}),
}


@pytest.mark.parametrize("field", BODY_FIELDS)
async def test_a_hostile_product_field_is_refused_by_name(
    client: httpx.AsyncClient, field: str
) -> None:
    numbers = iter(range(1, 10_000))

    async def send(value: Any) -> None:
        body = BODY_FIELDS[field](value, next(numbers))
        response = await client.post(PRODUCTS, **json_content(body, ACME))
        assert_names_the_field(response, field)
        if response.status_code == 201:  # accepted as it was sent, and stored so
            stored = await client.get(response.headers["Location"], headers=ACME)
            assert stored.json() == response.json()

    await for_each_example(hostile_values(), send)


# --8<-- [end:hostile-body-test]


async def test_accepted_names_are_stored_exactly_on_every_database(
    client: httpx.AsyncClient,
) -> None:
    numbers = iter(range(1, 10_000))

    async def send(name: str) -> None:
        body = new_product(next(numbers), name=name)
        response = await client.post(PRODUCTS, **json_content(body, ACME))
        assert_names_the_field(response, "name")
        if response.status_code == 201:
            stored = await client.get(response.headers["Location"], headers=ACME)
            # As JSON reads it: "\ud800\udfff" in JSON is one character, a surrogate pair.
            assert stored.json()["name"] == json.loads(json.dumps(name)).strip()

    await for_each_example(hostile_text(max_size=50), send, max_examples=50)


async def test_a_hostile_reprice_is_refused_by_name(client: httpx.AsyncClient) -> None:
    product_id = await added_product(client)

    async def send(value: Any) -> None:
        body = {"price": {"amount": value, "currency": "EUR"}}
        response = await client.post(f"{PRODUCTS}/{product_id}/reprice", **json_content(body, ACME))
        assert_names_the_field(response, "amount")

    await for_each_example(hostile_values(), send)


ORDER_FIELDS: dict[str, Callable[[Any, str], dict[str, Any]]] = {
    "lines": lambda value, _: {"lines": value},
    "product_id": lambda value, _: {"lines": [{"product_id": value, "quantity": 1}]},
    "quantity": lambda value, product: {"lines": [{"product_id": product, "quantity": value}]},
    "customer_email": lambda value, product: {
        "lines": [{"product_id": product, "quantity": 1}],
        "customer_email": value,
    },
}


@pytest.mark.parametrize("field", ORDER_FIELDS)
async def test_a_hostile_order_field_is_refused_by_name(
    client: httpx.AsyncClient, field: str
) -> None:
    product_id = await added_product(client)  # so that a valid quantity places an order

    async def send(value: Any) -> None:
        body = ORDER_FIELDS[field](value, product_id)
        response = await client.post(ORDERS, **json_content(body, ACME))
        assert_names_the_field(response, field)

    await for_each_example(hostile_values(), send)


async def test_a_hostile_idempotency_key_is_refused_by_name(client: httpx.AsyncClient) -> None:
    product_id = await added_product(client)
    order = {"lines": [{"product_id": product_id, "quantity": 1}]}

    async def send(key: str) -> None:
        headers = {
            b"X-Tenant-ID": b"acme",
            b"Content-Type": b"application/json",
            b"Idempotency-Key": key.encode("latin-1"),
        }
        response = await client.post(ORDERS, content=json.dumps(order).encode(), headers=headers)
        assert_names_the_field(response, "idempotency-key")

    await for_each_example(hostile_header_values(), send)


async def test_a_hostile_tenant_header_is_refused_by_name(client: httpx.AsyncClient) -> None:
    async def send(tenant: str) -> None:
        for path in (PRODUCTS, "/api/v1/tenant"):
            response = await client.get(path, headers={b"X-Tenant-ID": tenant.encode("latin-1")})
            problem = assert_names_the_field(response, "X-Tenant-ID")
            assert problem is None or problem["status"] in {400, 404}

    await for_each_example(hostile_header_values(), send)


# --8<-- [start:hostile-cursor-test]
CURSORS = {
    PRODUCTS: hostile_cursors({"sku": st.just("MUG-001")}),
    ORDERS: hostile_cursors(
        {"placed_at": calendar_edges(), "order_id": st.just(SOME_ID)},
    ),
    AUDIT_ENTRIES: hostile_cursors({"sequence": st.integers(0, 3)}),
}


@pytest.mark.parametrize("collection", CURSORS)
async def test_a_forged_cursor_is_refused_by_name(
    client: httpx.AsyncClient, collection: str
) -> None:
    async def send(cursor: str) -> None:
        response = await client.get(f"{collection}?after={quoted(cursor)}", headers=ACME)
        assert_names_the_field(response, "after")

    await for_each_example(CURSORS[collection], send, max_examples=50)


# --8<-- [end:hostile-cursor-test]


QUERIES = {
    (PRODUCTS, "limit"),
    (ORDERS, "limit"),
    (ORDERS, "status"),
    (AUDIT_ENTRIES, "limit"),
}


@pytest.mark.parametrize(("collection", "parameter"), sorted(QUERIES))
async def test_a_hostile_query_parameter_is_refused_by_name(
    client: httpx.AsyncClient, collection: str, parameter: str
) -> None:
    async def send(value: str) -> None:
        response = await client.get(f"{collection}?{parameter}={quoted(value)}", headers=ACME)
        assert_names_the_field(response, parameter)

    await for_each_example(hostile_text(), send)


PATHS = {
    ("GET", PRODUCTS + "/{}", "product_id"),
    ("POST", PRODUCTS + "/{}/discontinue", "product_id"),
    ("GET", ORDERS + "/{}", "order_id"),
    ("POST", ORDERS + "/{}/ship", "order_id"),
}


@pytest.mark.parametrize(("method", "template", "parameter"), sorted(PATHS))
async def test_a_hostile_path_parameter_is_refused_by_name(
    client: httpx.AsyncClient, method: str, template: str, parameter: str
) -> None:
    async def send(value: str) -> None:
        response = await client.request(method, template.format(quoted(value)), headers=ACME)
        assert_names_the_field(response, parameter)

    await for_each_example(hostile_text().filter(bool), send)


# The inputs that crashed the shop with a 500 when it was attacked (issue 9, fault 1).
CRASHED_BEFORE: dict[str, tuple[str, str, dict[str, Any], str]] = {
    "cursor at year 1, +01:00": (
        "GET",
        ORDERS,
        {"after": cursor_of({"placed_at": "0001-01-01T00:00:00+01:00", "order_id": SOME_ID})},
        "after",
    ),
    "cursor at year 9999, -01:00": (
        "GET",
        ORDERS,
        {"after": cursor_of({"placed_at": "9999-12-31T23:59:59-01:00", "order_id": SOME_ID})},
        "after",
    ),
    "cursor with a numeric order id": (
        "GET",
        ORDERS,
        {"after": cursor_of({"placed_at": "2025-01-01T00:00:00Z", "order_id": 5})},
        "after",
    ),
    "price of 1e999999999": (
        "POST",
        PRODUCTS,
        new_product(1, price={"amount": "1e999999999", "currency": "EUR"}),
        "amount",
    ),
    "price of -1e999999999": (
        "POST",
        PRODUCTS,
        new_product(2, price={"amount": "-1e999999999", "currency": "EUR"}),
        "amount",
    ),
    "name with a lone surrogate": ("POST", PRODUCTS, new_product(3, name="a\ud800b"), "name"),
    "name with a NUL": ("POST", PRODUCTS, new_product(4, name="a\x00b"), "name"),
}


@pytest.mark.parametrize("case", CRASHED_BEFORE)
async def test_what_crashed_before_is_a_422_naming_the_field(
    client: httpx.AsyncClient, case: str
) -> None:
    method, path, data, field = CRASHED_BEFORE[case]
    if method == "GET":
        response = await client.get(path, params=data, headers=ACME)
    else:
        response = await client.post(path, **json_content(data, ACME))

    assert response.status_code == 422
    assert_names_the_field(response, field)
