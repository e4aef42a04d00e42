"""An OpenAPI document rendered as a page: operations, their inputs and outputs, the schemas.

``/// openapi | shop.presentation.api:openapi_document`` calls the named function during
the build and renders what it returns, so the API reference on the site is the
application's own document from the commit that built it, never a copy. The rendering is
plain Markdown (tables and headings), so it needs no script from another host; the full
JSON document follows it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from handbook.generated import call_target
from handbook.render import fence_for

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load_document(target: str) -> dict[str, Any]:
    """Call ``module:function`` and return the OpenAPI document it builds.

    Raises:
        ValueError: The target is not ``module:function``, or it did not return a document.
    """
    document = call_target(target)
    if not isinstance(document, dict) or "openapi" not in document or "paths" not in document:
        raise ValueError(f"{target} did not return an OpenAPI document")
    return document


def schema_anchor(name: str) -> str:
    """The anchor of a component schema's heading."""
    return "schema-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def describe_type(schema: dict[str, Any]) -> str:
    """A short Markdown description of a schema's type: ``string (uuid)``, ``array of X``."""
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return f"[`{name}`](#{schema_anchor(name)})"
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            parts = [describe_type(part) for part in schema[combinator]]
            return (" & " if combinator == "allOf" else " | ").join(parts)
    if "enum" in schema:
        return "one of " + ", ".join(f"`{json.dumps(value)}`" for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {describe_type(schema.get('items', {}))}"
    if kind == "object" and "additionalProperties" in schema:
        values = schema["additionalProperties"]
        return "object" if values is True else f"map of {describe_type(values)}"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _number(value: object) -> str:
    """Show ``1000.0`` as ``1000``: schemas often carry integral bounds as floats."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _count(value: object, noun: str) -> str:
    return f"{value} {noun}" if value == 1 else f"{value} {noun}s"


def constraints(schema: dict[str, Any]) -> str:
    """The validation rules of a schema, e.g. ``≥ 1, ≤ 1000``."""
    found: list[str] = []
    for key, symbol in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤")):
        if key in schema:
            found.append(f"{symbol} {_number(schema[key])}")
    if "exclusiveMaximum" in schema:
        found.append(f"< {_number(schema['exclusiveMaximum'])}")
    for key, words in (("minLength", "at least"), ("maxLength", "at most")):
        if key in schema:
            found.append(f"{words} {_count(schema[key], 'character')}")
    for key, words in (("minItems", "at least"), ("maxItems", "at most")):
        if key in schema:
            found.append(f"{words} {_count(schema[key], 'item')}")
    if "pattern" in schema:
        found.append(f"matches `{schema['pattern']}`")
    if "default" in schema:
        found.append(f"default `{json.dumps(schema['default'])}`")
    return ", ".join(found)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip() or " "


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def render_operation(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    """Markdown for one operation: heading, description, parameters, body, responses."""
    summary = operation.get("summary", "")
    lines = [f"### `{method.upper()} {path}`", ""]
    if summary:
        lines += [f"**{summary}**", ""]
    if operation.get("description"):
        lines += [str(operation["description"]).strip(), ""]
    parameters = operation.get("parameters", [])
    if parameters:
        lines += [
            "| Parameter | In | Required | Type | Rules | Description |",
            "|---|---|---|---|---|---|",
        ]
        for parameter in parameters:
            schema = parameter.get("schema", {})
            needed = "yes" if parameter.get("required") else "no"
            lines.append(
                f"| `{parameter['name']}` | {parameter['in']} | {needed} | "
                f"{_cell(describe_type(schema))} | {_cell(constraints(schema))} | "
                f"{_cell(parameter.get('description', ''))} |"
            )
        lines.append("")
    body = operation.get("requestBody")
    if body:
        for media, content in body.get("content", {}).items():
            lines += [f"Request body (`{media}`): {describe_type(content.get('schema', {}))}", ""]
    lines += ["| Status | Meaning | Body |", "|---|---|---|"]
    for status, response in operation.get("responses", {}).items():
        contents = response.get("content", {})
        bodies = "; ".join(
            f"`{media}` {describe_type(content.get('schema', {}))}".strip()
            for media, content in contents.items()
        )
        meaning = _cell(response.get("description", ""))
        lines.append(f"| {status} | {meaning} | {_cell(bodies)} |")
    return [*lines, ""]


def render_schema(name: str, schema: dict[str, Any]) -> list[str]:
    """Markdown for one component schema: its properties, types and rules."""
    lines = [f"#### `{name}` {{ #{schema_anchor(name)} }}", ""]
    if schema.get("description"):
        lines += [str(schema["description"]).strip(), ""]
    properties = schema.get("properties", {})
    if not properties:
        return [*lines, f"Type: {describe_type(schema)}", ""]
    required = set(schema.get("required", []))
    lines += ["| Field | Type | Required | Rules | Description |", "|---|---|---|---|---|"]
    for field, spec in properties.items():
        described = spec.get("description", "")
        needed = "yes" if field in required else "no"
        lines.append(
            f"| `{field}` | {_cell(describe_type(spec))} | {needed} | "
            f"{_cell(constraints(spec))} | {_cell(described)} |"
        )
    return [*lines, ""]


def render_document(document: dict[str, Any]) -> list[str]:
    """The whole document as Markdown lines, operations first, then schemas, then the JSON."""
    info = document.get("info", {})
    lines = [
        f"**{info.get('title', 'API')}**, version `{info.get('version', '?')}`, "
        f"OpenAPI {document['openapi']}.",
        "",
    ]
    for path, method, operation in _operations(document):
        lines += render_operation(path, method, operation)
    schemas = document.get("components", {}).get("schemas", {})
    if schemas:
        lines += ["### Schemas", ""]
        for name, schema in schemas.items():
            lines += render_schema(name, schema)
    text = json.dumps(document, indent=2, sort_keys=False)
    fence = fence_for(text)
    return [
        *lines,
        '??? abstract "The OpenAPI document (JSON)"',
        "",
        f"    {fence} json",
        *(f"    {line}" for line in text.splitlines()),
        f"    {fence}",
        "",
    ]
