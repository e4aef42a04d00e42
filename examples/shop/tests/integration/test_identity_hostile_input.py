"""Identity's fields, headers and tokens under hostile values: refused, never a 5xx."""

from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import strategies as st

from infrastructure_kernel.http.hostile_input import (
    assert_names_the_field,
    for_each_example,
    hostile_header_values,
    hostile_text,
    hostile_values,
    huge_text,
    json_content,
)
from infrastructure_kernel.http.problems import PROBLEM_JSON

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(anonymous: httpx.AsyncClient) -> httpx.AsyncClient:
    """Identity's endpoints are called as whoever has not logged in yet: no token sent."""
    return anonymous


ANN = {"email": "ann@example.org", "display_name": "Ann", "password": "correct horse battery"}


# --8<-- [start:hostile-authorization]
async def test_any_authorization_header_is_refused_with_a_problem(
    client: httpx.AsyncClient,
) -> None:
    async def send(value: str) -> None:
        for header in (value, f"Bearer {value}"):
            sent = {b"Authorization": header.encode("latin-1")}
            response = await client.get("/api/v1/me", headers=sent)
            assert response.status_code == 401, response.text
            assert response.headers["content-type"] == PROBLEM_JSON
            assert len(value) < 20 or value not in response.text  # the token is not echoed

    await for_each_example(hostile_header_values(), send, max_examples=60)


# --8<-- [end:hostile-authorization]


@pytest.mark.parametrize("field", ["username", "password", "refresh_token", "grant_type"])
async def test_any_token_request_field_is_refused_as_rfc_6749_or_throttled(
    client: httpx.AsyncClient, field: str
) -> None:
    async def send(value: str) -> None:
        form = {"grant_type": "password", "username": "ann@example.org", "password": "x" * 12}
        if field == "refresh_token":
            form = {"grant_type": "refresh_token"}
        body = "&".join(
            f"{name}={quote(text, errors='surrogatepass')}"
            for name, text in {**form, field: value}.items()
        )
        response = await client.post(
            "/api/v1/auth/token",
            content=body.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code in {400, 429}, response.text
        if response.status_code == 400:
            assert set(response.json()) == {"error", "error_description"}

    await for_each_example(st.one_of(hostile_text(), huge_text()), send)


@pytest.mark.parametrize("field", ["email", "display_name", "password"])
async def test_a_hostile_registration_field_is_refused_by_name(
    client: httpx.AsyncClient, field: str
) -> None:
    async def send(value: Any) -> None:
        response = await client.post("/api/v1/auth/register", **json_content({**ANN, field: value}))
        if response.status_code == 409:  # a valid address, registered before
            return
        assert_names_the_field(response, field)

    await for_each_example(hostile_values(), send)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/auth/verify-email", "token"),
        ("/api/v1/auth/password-reset", "email"),
        ("/api/v1/auth/password-reset/confirm", "token"),
        ("/api/v1/auth/logout", "refresh_token"),
    ],
)
async def test_a_hostile_token_or_address_is_refused_by_name(
    client: httpx.AsyncClient, path: str, field: str
) -> None:
    others = {"new_password": "a brand new secret"} if path.endswith("confirm") else {}

    async def send(value: Any) -> None:
        response = await client.post(path, **json_content({**others, field: value}))
        if response.status_code == 400 and response.json()["type"].endswith("/invalid-link"):
            return  # shaped like a token, and no token of ours
        assert_names_the_field(response, field)

    await for_each_example(hostile_values(), send)
