"""The OpenAPI rendering: operations, parameters, bodies, responses and schemas as Markdown."""

from __future__ import annotations

import markdown
import pytest

from handbook.openapi import constraints, describe_type, load_document, render_document
from handbook.pages import current_page

TARGET = "tests.tooling.openapi_app:openapi_document"


def test_the_document_is_built_by_calling_the_target() -> None:
    document = load_document(TARGET)

    assert document["info"] == {"title": "Tiny shop", "version": "1.2.3"}
    assert "/api/v1/orders" in document["paths"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("tests.tooling.openapi_app", "write 'module:function'"),
        ("tests.tooling.openapi_app:not_a_document", "did not return an OpenAPI document"),
    ],
)
def test_a_bad_target_is_named(target: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_document(target)


def test_types_and_rules_read_like_prose() -> None:
    assert describe_type({"$ref": "#/components/schemas/Line"}) == "[`Line`](#schema-line)"
    assert describe_type({"type": "array", "items": {"type": "string"}}) == "array of string"
    assert describe_type({"anyOf": [{"type": "string"}, {"type": "null"}]}) == "string | null"
    assert describe_type({"type": "string", "format": "uuid"}) == "string (uuid)"
    assert describe_type({"enum": ["placed", "paid"]}) == 'one of `"placed"`, `"paid"`'
    assert describe_type({"type": "object", "additionalProperties": {"type": "integer"}}) == (
        "map of integer"
    )
    assert (
        constraints({"minimum": 1, "maximum": 1000, "default": 20}) == "≥ 1, ≤ 1000, default `20`"
    )


def test_every_operation_and_schema_is_rendered() -> None:
    text = "\n".join(render_document(load_document(TARGET)))

    assert "**Tiny shop**, version `1.2.3`" in text
    assert "### `POST /api/v1/orders`" in text
    assert "**Place an order**" in text
    assert "| `idempotency-key` | header | no | string \\| null | " in text
    assert "Request body (`application/json`): [`Order`](#schema-order)" in text
    assert "| 201 | Successful Response | `application/json` [`Order`](#schema-order) |" in text
    assert "| `limit` | query | no | integer | ≥ 1, ≤ 100, default `20` |" in text
    assert "#### `Line` { #schema-line }" in text
    assert "| `quantity` | integer | yes | ≥ 1, ≤ 1000 |" in text
    assert '??? abstract "The OpenAPI document (JSON)"' in text


def test_the_directive_renders_in_a_page_and_reports_a_bad_target(
    caplog: pytest.LogCaptureFixture,
) -> None:
    converter = markdown.Markdown(
        extensions=[
            "handbook.listing",
            "attr_list",
            "admonition",
            "pymdownx.details",
            "pymdownx.superfences",
            "tables",
            "toc",
        ],
        extension_configs={"handbook.listing": {"root": "."}},
    )
    token = current_page.set("docs/api.md")
    try:
        html = converter.convert(
            f"# API\n\n/// openapi | {TARGET}\n///\n\n/// openapi | no.such:thing\n///\n"
        )
    finally:
        current_page.reset(token)

    assert '<h4 id="schema-line"><code>Line</code></h4>' in html
    assert '<a href="#schema-order"><code>Order</code></a>' in html
    assert [record.getMessage() for record in caplog.records] == [
        "docs/api.md:6: cannot build the OpenAPI document: No module named 'no'"
    ]


def test_bounds_and_counts_read_naturally() -> None:
    assert constraints({"minimum": 1.0, "exclusiveMaximum": 2.5}) == "≥ 1, < 2.5"
    assert constraints({"minItems": 1, "maxItems": 3}) == "at least 1 item, at most 3 items"
    assert constraints({"minLength": 2, "pattern": "^[a-z]+$"}) == (
        "at least 2 characters, matches `^[a-z]+$`"
    )
