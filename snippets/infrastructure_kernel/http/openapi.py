"""The OpenAPI document as client generators read it: short operation ids, one problem schema.

FastAPI names an operation after its function, path and method
(``list_products_api_v1_products_get``), and a generated client names its methods after
that. Here an operation is named after its endpoint function alone (``list_products``),
or after the ``operation_id`` its route states; FastAPI warns of a duplicate, and the
tests turn warnings into errors.

Every error response refers to one ``Problem`` schema among the document's components
(:data:`~infrastructure_kernel.http.problems.PROBLEM_RESPONSES`), so a generator makes one
problem model, not one per operation.
"""

from collections.abc import Collection
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from infrastructure_kernel.http.problems import PROBLEM_SCHEMA_NAME, Problem


# --8<-- [start:operation-ids]
def operation_id(route: APIRoute) -> str:
    """Name an operation after its endpoint function, e.g. ``list_products``.

    Pass it to ``FastAPI(generate_unique_id_function=...)``; a route's own
    ``operation_id`` still comes first.
    """
    return route.name


# --8<-- [end:operation-ids]


# --8<-- [start:problem-component]
def describe_api(app: FastAPI, *, required_headers: Collection[str] = ()) -> None:
    """Complete ``app``'s document as FastAPI cannot from the routes alone.

    Args:
        app: The app whose ``openapi()`` to extend.
        required_headers: Headers that a dependency checks itself, to answer their absence
            with a problem of its own (``X-Tenant-ID``), so FastAPI declares them
            optional; the document says they are required.
    """
    generate = app.openapi  # FastAPI's own, which builds the document once and keeps it
    required = {name.lower() for name in required_headers}

    def openapi() -> dict[str, Any]:
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas[PROBLEM_SCHEMA_NAME] = Problem.model_json_schema()
        for path in document["paths"].values():
            for operation in path.values():
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "header" and parameter["name"] in required:
                        parameter["required"] = True
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way


# --8<-- [end:problem-component]
