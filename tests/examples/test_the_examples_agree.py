"""The shop and the service template answer the same fault with the same status and type.

Both build their HTTP edge from the infrastructure kernel; this test holds them to it.
Each fault is sent to a collection of each API (the template's customers, the shop's
products as tenant ``acme``), and the two answers must agree on the status and the
problem type's slug; only the type URIs' bases differ, by design.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from starlette.requests import Request

from app.bootstrap import bootstrap as bootstrap_template
from app.infrastructure.database.schema import MIGRATIONS as TEMPLATE_MIGRATIONS
from app.presentation.api.application import create_app
from app.presentation.api.problems import customer_problems
from app.settings import Settings as TemplateSettings
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from infrastructure_kernel.http.problems import ProblemCatalog
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services as ShopServices
from shop.bootstrap import bootstrap as bootstrap_shop
from shop.infrastructure.database.schema import MIGRATIONS as SHOP_MIGRATIONS
from shop.presentation.api.application import CONTEXT_PROBLEM_TYPES, shop_app
from shop.presentation.api.problems import shop_problems
from shop.settings import Settings as ShopSettings
from tenancy.domain.entities.tenant import Tenant

pytestmark = pytest.mark.anyio

UNREACHABLE = "postgresql+asyncpg://nobody@127.0.0.1:1/nothing"


@dataclass(frozen=True)
class Api:
    """One example's app, where its collection is, and what every request carries."""

    client: httpx.AsyncClient
    collection: str
    headers: dict[str, str]


@pytest.fixture
async def template(tmp_path: Path) -> AsyncIterator[Api]:
    url = SecretStr(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}")
    services = bootstrap_template(TemplateSettings(_env_file=None, database_url=url))
    await TEMPLATE_MIGRATIONS.upgrade(services.engine)
    async with client_of(create_app(services)) as client:
        yield Api(client, "/api/v1/customers", {})
    await services.engine.dispose()


@pytest.fixture
async def shop(tmp_path: Path) -> AsyncIterator[Api]:
    url = SecretStr(f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}")
    services = bootstrap_shop(ShopSettings(_env_file=None, database_url=url))
    await SHOP_MIGRATIONS.upgrade(services.engine)
    acme = Tenant(TenantId("acme"), "Acme", datetime(2025, 1, 1, tzinfo=UTC))
    await services.tenant_directory().add(acme)
    async with client_of(shop_app(services)) as client:
        yield Api(client, "/api/v1/products", {"X-Tenant-ID": "acme", **owner_of_acme(services)})
    await services.engine.dispose()


def owner_of_acme(services: ShopServices) -> dict[str, str]:
    """The shop serves a tenant's products to its members: an owner's token, signed by it."""
    owner = [Membership(TenantId("acme"), Role.OWNER)]
    token = services.access_token_issuer().issue(str(UserId.new().value), owner).token
    return {"Authorization": f"Bearer {token}"}


def client_of(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


Fault = Callable[[Api], httpx.Request]

FAULTS: dict[str, Fault] = {
    "malformed JSON": lambda api: api.client.build_request(
        "POST",
        api.collection,
        content=b'{"name": ',
        headers={**api.headers, "Content-Type": "application/json"},
    ),
    "JSON sent as a form (curl -d)": lambda api: api.client.build_request(
        "POST",
        api.collection,
        content=b'{"name": "x"}',
        headers={**api.headers, "Content-Type": "application/x-www-form-urlencoded"},
    ),
    "a body over the limit": lambda api: api.client.build_request(
        "POST", api.collection, content=b"x" * (64 * 1024 + 1), headers=api.headers
    ),
    "fields that are not the resource's": lambda api: api.client.build_request(
        "POST", api.collection, json={"colour": "plaid"}, headers=api.headers
    ),
    "a page size over the maximum": lambda api: api.client.build_request(
        "GET", api.collection, params={"limit": 1000}, headers=api.headers
    ),
    "a cursor the list did not hand out": lambda api: api.client.build_request(
        "GET", api.collection, params={"after": "bm90LWEtY3Vyc29y"}, headers=api.headers
    ),
    "an unknown route": lambda api: api.client.build_request(
        "GET", "/api/v1/nowhere", headers=api.headers
    ),
    "a method the route does not allow": lambda api: api.client.build_request(
        "DELETE", api.collection, headers=api.headers
    ),
}


def answer(response: httpx.Response) -> tuple[int, str, str]:
    """The status, the type's last part, and the media type of a problem response."""
    problem = response.json()
    return (
        response.status_code,
        problem["type"].rpartition("/")[2],
        response.headers["content-type"],
    )


@pytest.mark.parametrize("fault", FAULTS)
async def test_the_same_fault_gets_the_same_answer(template: Api, shop: Api, fault: str) -> None:
    answers = [answer(await api.client.send(FAULTS[fault](api))) for api in (template, shop)]

    assert answers[0] == answers[1]
    assert answers[0][2] == "application/problem+json"


async def test_the_same_answers_are_the_ones_the_style_guide_names(
    template: Api, shop: Api
) -> None:
    expected = {
        "malformed JSON": (400, "malformed-json"),
        "JSON sent as a form (curl -d)": (415, "unsupported-media-type"),
        "a body over the limit": (413, "body-too-large"),
        "fields that are not the resource's": (422, "invalid-request"),
        "a page size over the maximum": (422, "invalid-request"),
        "a cursor the list did not hand out": (422, "invalid-cursor"),
        "an unknown route": (404, "about:blank"),
        "a method the route does not allow": (405, "about:blank"),
    }
    for api in (template, shop):
        found = {
            fault: answer(await api.client.send(make(api)))[:2] for fault, make in FAULTS.items()
        }
        assert found == expected


async def test_both_are_not_ready_alike_while_their_database_is_unreachable() -> None:
    url = SecretStr(UNREACHABLE)
    apps = [
        create_app(bootstrap_template(TemplateSettings(_env_file=None, database_url=url))),
        shop_app(bootstrap_shop(ShopSettings(_env_file=None, database_url=url))),
    ]
    answers = []
    for app in apps:
        async with client_of(app) as client:
            response = await client.get("/api/v1/health/ready")
        answers.append((*answer(response), response.headers["retry-after"]))

    assert answers == [(503, "service-unavailable", "application/problem+json", "5")] * 2


async def test_both_answer_a_request_with_a_503_while_their_database_is_unreachable() -> None:
    url = SecretStr(UNREACHABLE)
    shop_services = bootstrap_shop(ShopSettings(_env_file=None, database_url=url))
    apps = {
        "/api/v1/customers": create_app(
            bootstrap_template(TemplateSettings(_env_file=None, database_url=url))
        ),
        "/api/v1/products": shop_app(shop_services),
    }
    headers = {"X-Tenant-ID": "acme", **owner_of_acme(shop_services)}
    answers = []
    for collection, app in apps.items():
        async with client_of(app) as client:
            response = await client.get(collection, headers=headers)
        answers.append((*answer(response), response.headers["retry-after"]))

    assert answers == [(503, "service-unavailable", "application/problem+json", "5")] * 2


async def test_every_503_either_registers_says_when_to_try_again() -> None:
    # Each error is made without its constructor, so without headers of its own: the
    # Retry-After comes from the handler, whatever the error's author remembered.
    url = SecretStr(UNREACHABLE)
    apps: dict[str, tuple[FastAPI, ProblemCatalog]] = {
        "template": (
            create_app(bootstrap_template(TemplateSettings(_env_file=None, database_url=url))),
            customer_problems(),
        ),
        "shop": (
            shop_app(bootstrap_shop(ShopSettings(_env_file=None, database_url=url))),
            shop_problems(CONTEXT_PROBLEM_TYPES),
        ),
    }
    request = Request({"type": "http", "method": "GET", "path": "/api/v1", "headers": []})
    unavailable: dict[str, set[str]] = {}
    for name, (app, problems) in apps.items():
        errors = [error_type.__new__(error_type) for error_type in problems.errors]
        unavailable[name] = set()
        for error in errors:
            if problems.find(error).status == 503:
                answered = app.exception_handlers[type(error)](request, error)
                response = await answered if isinstance(answered, Awaitable) else answered
                assert response.status_code == 503
                assert int(response.headers["Retry-After"]) > 0, type(error).__name__
                unavailable[name].add(type(error).__name__)

    assert unavailable == {
        "template": set(),
        "shop": {
            "IdentityProviderUnavailableError",
            "PaymentProviderUnavailableError",
            "PaymentsNotConfiguredError",
            "ThrottleUnavailableError",
        },
    }
