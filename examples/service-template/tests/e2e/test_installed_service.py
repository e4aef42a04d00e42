"""End to end: the installed ``app`` serves the API and works from the command line."""

import json
import re
import subprocess
import sysconfig
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import httpx

import app

AppCommand = Callable[..., subprocess.CompletedProcess[str]]
CUSTOMERS = "/api/v1/customers"


def test_the_service_is_live_and_ready(base_url: str) -> None:
    live = httpx.get(f"{base_url}/api/v1/health/live")
    ready = httpx.get(f"{base_url}/api/v1/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "checks": {"database": "ok"}},
    )


def test_the_api_root_and_the_docs_are_served_from_the_service_itself(base_url: str) -> None:
    root = httpx.get(f"{base_url}/api/v1").json()
    docs = httpx.get(f"{base_url}{root['links']['service-doc']['href']}")

    assert root["links"]["customers"]["href"] == CUSTOMERS
    referenced = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert referenced
    for path in referenced:
        assert httpx.get(f"{base_url}{path}").status_code == 200  # all from the service itself


def test_the_package_under_test_is_the_installed_wheel() -> None:
    site_packages = Path(sysconfig.get_paths()["purelib"])
    assert Path(app.__file__).is_relative_to(site_packages)


def test_register_read_list_and_rename_over_http(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as client:
        created = client.post(CUSTOMERS, json={"email": "grace@example.com", "name": "Grace"})
        assert created.status_code == 201, created.text
        customer = created.json()

        read = client.get(created.headers["location"])
        listed = client.get(CUSTOMERS, params={"limit": 100})
        renamed = client.post(f"{CUSTOMERS}/{customer['id']}/rename", json={"name": "Grace Hopper"})

    assert read.json() == customer
    assert customer in listed.json()["items"]
    assert (renamed.status_code, renamed.json()["name"]) == (200, "Grace Hopper")


def test_errors_are_problem_documents(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as client:
        missing = client.get(f"{CUSTOMERS}/{uuid4()}")
        invalid = client.post(CUSTOMERS, json={"email": "not-an-address", "name": "Grace"})

    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["title"] == "Customer not found"
    assert invalid.status_code == 422
    assert invalid.headers["content-type"] == "application/problem+json"
    assert invalid.json()["errors"][0]["location"] == ["body", "email"]


def test_the_command_line_registers_and_lists(app_command: AppCommand, base_url: str) -> None:
    registered = app_command("customers", "register", "Linus@Example.com", "Linus")
    listed = app_command("customers", "list", "--limit", "100", "--json")

    assert registered.returncode == 0, registered.stderr
    customer = json.loads(registered.stdout)
    assert customer["email"] == "linus@example.com"
    assert listed.returncode == 0, listed.stderr
    assert customer in json.loads(listed.stdout)["items"]
    # The server shares the database with the command line.
    assert httpx.get(f"{base_url}{CUSTOMERS}/{customer['id']}").json() == customer


def test_the_command_line_reports_bad_input_without_a_traceback(app_command: AppCommand) -> None:
    result = app_command("customers", "register", "not-an-address", "Linus")

    assert result.returncode == 2
    assert "email: Value error, not an e-mail address" in result.stderr
    assert "Traceback" not in result.stderr
