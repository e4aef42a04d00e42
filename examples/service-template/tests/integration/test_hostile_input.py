"""Every field, path and query parameter of the customer API under hostile values.

Property-based, with the infrastructure kernel's strategies, on SQLite and, when
``DATABASE_URL`` is set, on PostgreSQL: whatever is sent, the answer is a success or a
4xx problem document naming the field, never a 5xx.
"""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import strategies as st

from app.bootstrap import Services
from app.presentation.api.application import create_app
from infrastructure_kernel.http.hostile_input import (
    assert_names_the_field,
    for_each_example,
    hostile_cursors,
    hostile_text,
    hostile_values,
    json_content,
    quoted,
)

pytestmark = pytest.mark.anyio

CUSTOMERS = "/api/v1/customers"


@pytest.fixture
async def api(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.mark.parametrize("field", ["email", "name"])
async def test_a_hostile_registration_field_is_refused_by_name(
    api: httpx.AsyncClient, field: str
) -> None:
    numbers = iter(range(1, 10_000))

    async def send(value: Any) -> None:
        body = {"email": f"c{next(numbers)}@example.com", "name": "Ada", field: value}
        response = await api.post(CUSTOMERS, **json_content(body))
        assert_names_the_field(response, field)
        if response.status_code == 201:  # stored as it was answered
            stored = await api.get(response.headers["Location"])
            assert stored.json() == response.json()

    await for_each_example(hostile_values(), send)


async def test_a_hostile_rename_is_refused_by_name(api: httpx.AsyncClient) -> None:
    registered = await api.post(CUSTOMERS, json={"email": "ada@example.com", "name": "Ada"})
    customer_id = registered.json()["id"]

    async def send(value: Any) -> None:
        response = await api.post(
            f"{CUSTOMERS}/{customer_id}/rename", **json_content({"name": value})
        )
        assert_names_the_field(response, "name")

    await for_each_example(hostile_values(), send)


async def test_a_forged_cursor_is_refused_by_name(api: httpx.AsyncClient) -> None:
    async def send(cursor: str) -> None:
        response = await api.get(f"{CUSTOMERS}?after={quoted(cursor)}")
        assert_names_the_field(response, "after")

    cursors = hostile_cursors({"email": st.just("ada@example.com")})
    await for_each_example(cursors, send, max_examples=50)


@pytest.mark.parametrize(
    ("method", "template", "parameter"),
    [
        ("GET", CUSTOMERS + "?limit={}", "limit"),
        ("GET", CUSTOMERS + "/{}", "customer_id"),
        ("POST", CUSTOMERS + "/{}/deactivate", "customer_id"),
    ],
)
async def test_a_hostile_parameter_is_refused_by_name(
    api: httpx.AsyncClient, method: str, template: str, parameter: str
) -> None:
    async def send(value: str) -> None:
        response = await api.request(method, template.format(quoted(value)))
        assert_names_the_field(response, parameter)

    await for_each_example(hostile_text().filter(bool), send)
