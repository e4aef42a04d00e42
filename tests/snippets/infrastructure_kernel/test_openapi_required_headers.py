"""``describe_api`` marks as required the headers that a dependency checks itself."""

from typing import Annotated

from fastapi import FastAPI, Header

from infrastructure_kernel.http.openapi import describe_api


def test_a_header_checked_by_its_dependency_is_required_in_the_document() -> None:
    app = FastAPI()

    @app.get("/thing")
    async def thing(x_thing: Annotated[str | None, Header()] = None) -> str | None:
        return x_thing

    describe_api(app, required_headers=["X-Thing"])

    [parameter] = app.openapi()["paths"]["/thing"]["get"]["parameters"]
    assert (parameter["name"], parameter["required"]) == ("x-thing", True)
