"""End to end: the installed ``shop`` serves the platform's API and administers tenants.

Bad input anywhere gets a problem document and changes nothing.
"""

import json
import re
import subprocess
import sysconfig
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import shop

ShopCommand = Callable[..., subprocess.CompletedProcess[str]]
SignIn = Callable[..., dict[str, str]]
PROBLEM_TYPES = "tag:shop.example,2025:problems/"
DEFAULT_BODY_LIMIT = 64 * 1024


def assert_problem(response: httpx.Response, status: int, problem_type: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (problem_type, status)
    return problem


@pytest.fixture
def tenants_unchanged(shop_command: ShopCommand) -> Iterator[None]:
    """Asserts that the test left the tenants as it found them."""
    before = shop_command("tenants", "list").stdout
    yield
    assert shop_command("tenants", "list").stdout == before


def test_the_package_under_test_is_the_installed_wheel() -> None:
    site_packages = Path(sysconfig.get_paths()["purelib"])
    assert Path(shop.__file__).is_relative_to(site_packages)


def test_the_shop_is_live_and_ready(base_url: str) -> None:
    live = httpx.get(f"{base_url}/api/v1/health/live")
    ready = httpx.get(f"{base_url}/api/v1/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok"}},
    )


def test_the_api_root_and_the_docs_are_served_from_the_shop_itself(base_url: str) -> None:
    root = httpx.get(f"{base_url}/api/v1").json()
    docs = httpx.get(f"{base_url}{root['links']['service-doc']['href']}")

    assert root["links"]["products"]["href"] == "/api/v1/products"
    referenced = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert referenced
    for path in referenced:
        assert httpx.get(f"{base_url}{path}").status_code == 200  # all from the shop itself


def test_the_seeded_tenant_is_served(base_url: str, owner: dict[str, str]) -> None:
    response = httpx.get(f"{base_url}/api/v1/tenant", headers={**owner, "X-Tenant-ID": "acme"})
    assert response.json().items() >= {"tenant_id": "acme", "name": "Acme Corporation"}.items()


def test_a_tenant_added_on_the_command_line_is_served_to_its_members(
    base_url: str, shop_command: ShopCommand, sign_in: SignIn, owner: dict[str, str]
) -> None:
    added = shop_command("tenants", "add", "initech", "Initech")

    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["tenant_id"] == "initech"
    member = httpx.get(f"{base_url}/api/v1/tenant", headers=sign_in("initech"))
    outsider = httpx.get(f"{base_url}/api/v1/tenant", headers={**owner, "X-Tenant-ID": "initech"})
    assert member.json() == json.loads(added.stdout)
    assert_problem(outsider, 404, PROBLEM_TYPES + "unknown-tenant")


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token"], ids=["none", "bad"])
def test_without_a_valid_token_a_tenant_is_a_401_that_names_nothing(
    base_url: str, authorization: str | None
) -> None:
    headers = {"X-Tenant-ID": "acme"} | ({"Authorization": authorization} if authorization else {})

    response = httpx.get(f"{base_url}/api/v1/tenant", headers=headers)

    problem = assert_problem(response, 401, PROBLEM_TYPES + "authentication-required")
    assert problem["detail"] == "a valid access token is required"
    assert "acme" not in response.text


@pytest.mark.usefixtures("tenants_unchanged")
@pytest.mark.parametrize(
    ("headers", "status", "slug"),
    [
        ({"X-Tenant-ID": "umbrella"}, 404, "unknown-tenant"),
        ({"X-Tenant-ID": "Umbrella Corp"}, 400, "tenant-malformed"),
        ({}, 400, "tenant-missing"),
    ],
)
def test_an_unknown_malformed_or_missing_tenant_is_a_problem(
    base_url: str, owner: dict[str, str], headers: dict[str, str], status: int, slug: str
) -> None:
    # The owner belongs to two tenants: without the header, the shop cannot choose.
    response = httpx.get(f"{base_url}/api/v1/tenant", headers={**owner, **headers})
    assert_problem(response, status, PROBLEM_TYPES + slug)


def chunks(total: int, size: int = 8192) -> Iterator[bytes]:
    """A body without Content-Length: sent chunked."""
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


@pytest.mark.usefixtures("tenants_unchanged")
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_oversized_body_is_refused_with_413(base_url: str, *, chunked: bool) -> None:
    size = DEFAULT_BODY_LIMIT + 1
    content = chunks(size) if chunked else b"x" * size

    response = httpx.post(
        f"{base_url}/api/v1/tenant", headers={"X-Tenant-ID": "acme"}, content=content
    )

    problem = assert_problem(response, 413, PROBLEM_TYPES + "body-too-large")
    assert problem["detail"] == f"the request body is larger than {DEFAULT_BODY_LIMIT} bytes"


def test_a_body_at_the_limit_is_routed(base_url: str) -> None:
    response = httpx.post(f"{base_url}/api/v1/health/live", content=b"x" * DEFAULT_BODY_LIMIT)
    assert_problem(response, 405, "about:blank")


def test_an_unknown_route_is_a_problem(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api/v2/health/live")
    assert_problem(response, 404, "about:blank")


@pytest.mark.usefixtures("tenants_unchanged")
def test_the_command_line_reports_bad_input_without_a_traceback(shop_command: ShopCommand) -> None:
    result = shop_command("tenants", "add", "Not A Slug", "Someone")

    assert result.returncode == 2
    assert "Error: not a tenant id: 'Not A Slug'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_server_logs_json_lines_its_own_included(base_url: str, workdir: Path) -> None:
    httpx.get(f"{base_url}/api/v1/health/live").raise_for_status()
    log = workdir / "server.log"

    # The access line is written just after the response is sent: give it a moment.
    deadline = time.monotonic() + 5
    while '"uvicorn.access"' not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [json.loads(line) for line in log.read_text().splitlines()]  # each one JSON

    started = [line for line in lines if line["event"].startswith("Started server process")]
    health = [line for line in lines if "/api/v1/health" in line["event"]]
    assert [(line["logger"], line["level"]) for line in started] == [("uvicorn.error", "info")]
    assert health
    assert {line["logger"] for line in health} == {"uvicorn.access"}
