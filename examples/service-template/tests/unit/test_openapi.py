"""The template's OpenAPI document: short operation ids, one problem schema, stated rules."""

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from app.presentation.api.application import openapi_document
from infrastructure_kernel.http.hostile_input import hostile_text
from shared_kernel.errors import InvalidValueError
from shared_kernel.text import SURROGATES

DOCUMENT = openapi_document()
CUSTOMER: dict[str, Any] = DOCUMENT["components"]["schemas"]["RegisterCustomer"]["properties"]
OPERATIONS = [op for path in DOCUMENT["paths"].values() for op in path.values()]


def test_operation_ids_are_short_and_every_error_is_the_one_problem() -> None:
    ids = {operation["operationId"] for operation in OPERATIONS}
    assert {"register_customer", "list_customers", "get_customer", "rename_customer"} <= ids
    refs = {
        str(response["content"])
        for operation in OPERATIONS
        for status, response in operation["responses"].items()
        if status[0] in "45"
    }
    assert refs == {
        "{'application/problem+json': {'schema': {'$ref': '#/components/schemas/Problem'}}}"
    }


@pytest.mark.parametrize(("field", "maximum"), [("email", 254), ("name", 100)])
def test_the_text_rules_are_stated(field: str, maximum: int) -> None:
    assert CUSTOMER[field]["maxLength"] == maximum
    assert "pattern" in CUSTOMER[field]


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(hostile_text(max_size=40), st.emails()))
def test_the_schema_and_the_value_objects_agree(text: str) -> None:
    for field, value_object in (("email", EmailAddress), ("name", CustomerName)):
        try:
            value_object(text)
        except InvalidValueError:
            accepted = False
        else:
            accepted = True
        rules = CUSTOMER[field]
        by_schema = (
            len(text) <= rules["maxLength"] and re.fullmatch(rules["pattern"], text) is not None
        )
        assert (by_schema and not re.search(f"[{SURROGATES}]", text)) == accepted, field
