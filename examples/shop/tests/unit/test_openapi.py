"""The OpenAPI document states what the server enforces, in a shape client generators use.

No request is sent: the document is built from the app, and each stated rule is held to
the value object or input model that enforces it, on hostile values (Hypothesis).
"""

import re
from typing import Any

import pydantic
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.application.dto.product_commands import MoneyInput
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from infrastructure_kernel.http.hostile_input import hostile_numbers, hostile_text
from shared_kernel.errors import InvalidValueError
from shared_kernel.text import SURROGATES
from shop.presentation.api.application import openapi_document

DOCUMENT = openapi_document()
SCHEMAS: dict[str, Any] = DOCUMENT["components"]["schemas"]
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
OPERATIONS = [op for path in DOCUMENT["paths"].values() for op in path.values()]


def parameter(operation_id: str, name: str) -> dict[str, Any]:
    [operation] = [op for op in OPERATIONS if op["operationId"] == operation_id]
    [found] = [p for p in operation["parameters"] if p["name"] == name]
    schema: dict[str, Any] = found["schema"]
    return {**schema, **schema.get("anyOf", [{}])[0]}  # an optional one: its non-null part


def test_every_error_response_refers_to_the_one_problem_schema() -> None:
    errors = [
        response
        for operation in OPERATIONS
        for status, response in operation["responses"].items()
        # Except the OAuth2 token endpoint's 400, whose shape RFC 6749 prescribes.
        if status[0] in "45" and (operation["operationId"], status) != ("issue_token", "400")
    ]
    assert len(errors) >= 2 * len(OPERATIONS)
    assert all(
        response["content"] == {"application/problem+json": {"schema": PROBLEM_REF}}
        for response in errors
    )
    assert [name for name in SCHEMAS if "problem" in name.lower()] == ["Problem"]


def test_operation_ids_are_short_and_say_what_they_do() -> None:
    ids = [operation["operationId"] for operation in OPERATIONS]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+){0,2}", name) for name in ids), ids
    assert {"list_products", "create_product", "place_order", "ship_order"} <= set(ids)
    assert {"start_payment", "receive_payment_event"} <= set(ids)


def test_the_schema_states_every_constraint_the_server_enforces() -> None:
    product = SCHEMAS["AddProduct"]["properties"]
    money = SCHEMAS["MoneyInput"]
    assert product["sku"]["pattern"] == Sku.INPUT_PATTERN
    assert product["name"]["maxLength"] == ProductName.MAX_LENGTH
    assert money["properties"]["currency"]["enum"] == ["CHF", "EUR", "GBP", "JPY", "USD"]
    assert money["properties"]["amount"]["type"] == "string"
    [jpy] = money["allOf"]
    assert jpy["if"]["properties"]["currency"] == {"const": "JPY"}
    for listing in ("list_products", "list_orders"):
        assert parameter(listing, "after")["maxLength"] == 200
        assert parameter(listing, "after")["pattern"] == "^[A-Za-z0-9_-]+$"
    assert parameter("list_products", "x-tenant-id")["pattern"] == "^[a-z0-9][a-z0-9-]{1,62}$"
    # Optional: a member of one tenant may leave it out; the access token is required.
    assert not any(
        p["required"]
        for op in OPERATIONS
        for p in op.get("parameters", [])
        if p["name"] == "x-tenant-id"
    )
    assert parameter("place_order", "idempotency-key")["maxLength"] == 255


def by_schema(pattern: str, text: str) -> bool:
    """The schema's verdict on ``text``; no JSON text holds a lone surrogate (RFC 7493)."""
    return re.fullmatch(pattern, text) is not None and not re.search(f"[{SURROGATES}]", text)


def accepted_by(value_object: Any, text: str) -> bool:
    try:
        value_object(text)
    except InvalidValueError:
        return False
    return True


# --8<-- [start:schema-agrees-test]
@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(hostile_text(max_size=40), st.from_regex(Sku.INPUT_PATTERN)))
def test_the_schema_and_the_value_objects_agree_on_hostile_text(text: str) -> None:
    product = SCHEMAS["AddProduct"]["properties"]
    for field, value_object in (("sku", Sku), ("name", ProductName)):
        assert by_schema(product[field]["pattern"], text) == accepted_by(value_object, text)


# --8<-- [end:schema-agrees-test]


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.one_of(hostile_numbers(), st.from_regex(r"^[0-9]{1,17}(\.[0-9]{0,3})?$")),
    st.sampled_from(["EUR", "JPY"]),
)
def test_the_schema_and_the_server_agree_on_amounts(amount: Any, currency: str) -> None:
    money = SCHEMAS["MoneyInput"]
    pattern = money["properties"]["amount"]["pattern"]
    if currency == "JPY":
        pattern = money["allOf"][0]["then"]["properties"]["amount"]["pattern"]
    by_schema = isinstance(amount, str) and re.fullmatch(pattern, amount) is not None
    try:
        MoneyInput(amount=amount, currency=currency).to_money()
    except (pydantic.ValidationError, InvalidValueError):
        assert not by_schema, amount
    else:
        assert by_schema, amount
