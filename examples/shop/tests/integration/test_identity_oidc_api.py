"""The shop on an external provider's tokens: ``/me`` over HTTP, the keys from a local port."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.application.interfaces.identity_links import ExternalIdentity
from identity.domain.entities.user import User
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.user_repository import SqlAlchemyUserRepository
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, external_tokens
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .conftest import NOW
from .identity_provider import AUDIENCE, ISSUER, Provider, serving_provider

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(anonymous: httpx.AsyncClient) -> httpx.AsyncClient:
    """Identity's endpoints are called as whoever has not logged in yet: no token sent."""
    return anonymous


@pytest.fixture
def provider() -> Iterator[Provider]:
    with serving_provider() as provider:
        yield provider


@pytest.fixture
def app(services: Services) -> FastAPI:
    """The shop, configured to accept the provider's tokens instead of its own."""
    return shop_app(services)


@pytest.fixture
def services(engine: AsyncEngine, settings: Settings, provider: Provider) -> Services:
    configured = settings.model_copy(
        update={"oidc_jwks_url": provider.url, "oidc_issuer": ISSUER, "oidc_audience": AUDIENCE}
    )
    return Services(
        settings=configured,
        engine=engine,
        clock=FixedClock(NOW),
        external_tokens=external_tokens(configured),
    )


# --8<-- [start:oidc-me]
async def test_a_providers_user_is_the_shop_user_an_operator_linked(
    client: httpx.AsyncClient, engine: AsyncEngine, services: Services, provider: Provider
) -> None:
    ann = User(UserId.new(), EmailAddress("ann@example.org"), DisplayName("Ann"), "h", NOW)
    await SqlAlchemyUserRepository(engine).add(ann)
    token = provider.token("idp|ann")  # the provider's own name for Ann

    before = await client.get("/api/v1/me", headers=bearer(token))
    await services.identity_links().link(ExternalIdentity(ISSUER, "idp|ann"), ann.user_id)
    after = await client.get("/api/v1/me", headers=bearer(token))
    own = await client.get("/api/v1/me", headers=bearer(forged()))

    assert before.status_code == 401  # authenticated by the provider, and no user of ours
    assert after.status_code == 200, after.text
    assert after.json()["email"] == "ann@example.org"
    assert provider.fetches == 1
    assert own.status_code == 401


# --8<-- [end:oidc-me]


async def test_an_unreachable_provider_is_a_503_with_retry_after(
    client: httpx.AsyncClient, provider: Provider
) -> None:
    provider.failing = True

    response = await client.get("/api/v1/me", headers=bearer(provider.token("ann")))

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["type"].endswith("/service-unavailable")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def forged() -> str:
    """A token for the provider's audience, signed by someone else under its kid."""
    forger = Provider()
    forger.rotate()
    return forger.token("someone")


def test_without_a_provider_the_shop_checks_its_own_tokens(settings: Settings) -> None:
    assert external_tokens(settings) is None


def test_a_provider_needs_its_issuer_and_audience() -> None:
    with pytest.raises(ValueError, match="needs oidc_issuer and oidc_audience"):
        Settings(_env_file=None, oidc_jwks_url="https://idp.example/jwks")


async def test_a_subject_that_looks_like_a_user_id_is_not_taken_for_one(
    client: httpx.AsyncClient, engine: AsyncEngine, provider: Provider
) -> None:
    ann = User(UserId.new(), EmailAddress("ann@example.org"), DisplayName("Ann"), "h", NOW)
    await SqlAlchemyUserRepository(engine).add(ann)

    response = await client.get("/api/v1/me", headers=bearer(provider.token(str(ann.user_id))))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="shop", error="invalid_token"'


def test_a_provider_cannot_share_the_shops_issuer() -> None:
    with pytest.raises(ValueError, match="oidc_issuer must differ from auth_issuer"):
        Settings(
            _env_file=None,
            oidc_jwks_url="https://idp.example/jwks",
            oidc_issuer="shop",
            oidc_audience="shop",
        )


# --8<-- [start:oidc-tenant]
@pytest.mark.usefixtures("tenants")
async def test_the_providers_caller_acts_for_the_tenants_the_shop_made_them_a_member_of(
    client: httpx.AsyncClient, engine: AsyncEngine, services: Services, provider: Provider
) -> None:
    users = SqlAlchemyUserRepository(engine)
    user = User(UserId.new(), EmailAddress("ann@example.org"), DisplayName("Ann"), "h", NOW)
    await users.add(user)
    await users.grant(user.user_id, Membership(TenantId("acme"), Role.CLERK))
    await services.identity_links().link(ExternalIdentity(ISSUER, "idp|ann"), user.user_id)
    ann = bearer(provider.token("idp|ann"))

    acme = await client.get("/api/v1/tenant", headers=ann)  # her one tenant: no header
    globex = await client.get("/api/v1/tenant", headers={**ann, "X-Tenant-ID": "globex"})
    unlinked = bearer(provider.token(str(user.user_id.value)))  # her id, but not linked
    stranger = await client.get("/api/v1/tenant", headers=unlinked)
    no_user = await client.get("/api/v1/tenant", headers=bearer(provider.token("ann")))

    assert acme.json()["tenant_id"] == "acme"
    assert globex.status_code == 404  # the provider names her; the shop decides where
    assert (stranger.status_code, no_user.status_code) == (401, 401)


# --8<-- [end:oidc-tenant]
