"""The shop's edge: rate limits per address, user and tenant, CORS, headers and secrets.

The limits are counted in the process's memory always, and in the Redis server in
``REDIS_URL`` when it is set (where an unreachable server fails the test).
"""

import asyncio
import json
import os
from ipaddress import IPv6Address
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
import structlog
from click.testing import CliRunner
from pydantic import SecretStr, ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from infrastructure_kernel.configuration import configure
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap, rate_limiter
from shop.infrastructure.logging import configure_logging
from shop.presentation.api.application import shop_app
from shop.presentation.cli.main import cli
from shop.settings import Settings

from .conftest import NOW, owner_of_both

pytestmark = pytest.mark.anyio

REDIS_URL = os.environ.get("REDIS_URL", "")
STORES = ["memory", *(["redis"] if REDIS_URL else [])]
NOBODY_LISTENS = SecretStr("redis://127.0.0.1:9/5")  # the discard port: refused at once
PASSWORD = "pw-from-a-mounted-file-5b1e"  # noqa: S105 - what no output may show
HEALTH = "/api/v1/health/live"
PRODUCTS = "/api/v1/products"


def limited(settings: Settings, engine: AsyncEngine, **quotas: object) -> Services:
    limited_settings = settings.model_copy(update=quotas)
    return Services(
        settings=limited_settings,
        engine=engine,
        clock=FixedClock(NOW),
        rate_limiter=rate_limiter(limited_settings),
    )


def client_of(services: Services) -> httpx.AsyncClient:
    # An address of its own per client: on Redis the counts outlive the test, and another
    # test's requests from the same address would spend this one's quota.
    address = str(IPv6Address(uuid4().int))
    transport = httpx.ASGITransport(app=shop_app(services), client=(address, 123))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def bearer(services: Services, subject: str) -> dict[str, str]:
    """The header of ``subject``, an owner of acme, whose token ``services`` signed."""
    owner = [Membership(TenantId("acme"), Role.OWNER)]
    token = services.access_token_issuer().issue(subject, owner).token
    return {"Authorization": f"Bearer {token}"}


# --8<-- [start:shop-rate-limit-test]
@pytest.mark.parametrize("store", STORES)
@pytest.mark.usefixtures("acme")
async def test_each_user_has_a_quota_of_their_own_and_the_address_one_for_all(
    store: str, settings: Settings, engine: AsyncEngine
) -> None:
    redis_url = SecretStr(REDIS_URL) if store == "redis" else None
    services = limited(
        settings,
        engine,
        redis_url=redis_url,
        rate_limit_per_address="5/minute",
        rate_limit_per_user="2/minute",
    )
    ann, bob = bearer(services, f"ann-{uuid4()}"), bearer(services, f"bob-{uuid4()}")
    tenant = {"X-Tenant-ID": "acme"}
    async with client_of(services) as client:
        anns = [await client.get(PRODUCTS, headers={**ann, **tenant}) for _ in range(3)]
        bobs = [await client.get(PRODUCTS, headers={**bob, **tenant}) for _ in range(2)]
        anonymous = await client.get(PRODUCTS, headers=tenant)
        probe = await client.get(HEALTH)
    await services.aclose()

    assert [answer.status_code for answer in anns] == [200, 200, 429]
    assert anns[2].json()["detail"].startswith("over the quota of: user;")
    assert anns[0].headers["RateLimit-Policy"] == (
        '"address";q=5;w=60, "user";q=2;w=60, "tenant";q=30000;w=60'
    )
    assert [answer.status_code for answer in bobs] == [200, 200]
    assert anonymous.status_code == 429  # the address has had its five
    assert anonymous.json()["type"].endswith("/too-many-requests")
    assert anonymous.headers["Retry-After"].isdigit()
    assert probe.status_code == 200  # the probes are never counted


# --8<-- [end:shop-rate-limit-test]


@pytest.mark.usefixtures("acme")
async def test_a_tenant_counts_only_for_a_verified_user(
    settings: Settings, engine: AsyncEngine
) -> None:
    services = limited(settings, engine, rate_limit_per_tenant="1/minute")
    tenant = {"X-Tenant-ID": "acme"}
    async with client_of(services) as client:
        strangers = [
            await client.get(PRODUCTS, headers={**tenant, "Authorization": "Bearer forged"}),
            await client.get(PRODUCTS, headers={**tenant, "Authorization": "Basic x"}),
            await client.get(
                PRODUCTS, headers={**bearer(services, "cy"), "X-Tenant-ID": "Not a tenant"}
            ),
        ]
        member = await client.get(PRODUCTS, headers={**tenant, **bearer(services, "ann")})
        another = await client.get(PRODUCTS, headers={**tenant, **bearer(services, "bob")})

    assert all("tenant" not in answer.headers["RateLimit-Policy"] for answer in strangers)
    assert member.status_code == 200
    assert '"tenant";r=0;' in member.headers["RateLimit"]
    assert another.status_code == 429


async def test_while_redis_is_unreachable_the_api_answers_and_still_limits(
    settings: Settings, engine: AsyncEngine
) -> None:
    services = limited(
        settings, engine, redis_url=NOBODY_LISTENS, rate_limit_per_address="2/minute"
    )
    async with client_of(services) as client:
        answers = [await client.get("/api/v1") for _ in range(3)]
    await services.aclose()

    assert [answer.status_code for answer in answers] == [200, 200, 429]


# --8<-- [start:shop-cors-test]
async def test_cors_and_the_security_headers_come_from_the_settings(
    settings: Settings, engine: AsyncEngine
) -> None:
    origin = "https://admin.shop.example"
    services = limited(settings, engine, cors_origins=[origin], hsts_max_age=600)
    preflight = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, x-tenant-id",
    }
    transport = httpx.ASGITransport(app=shop_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="https://shop.example") as client:
        allowed = await client.options(PRODUCTS, headers=preflight)
        elsewhere = await client.options(
            PRODUCTS, headers={**preflight, "Origin": "https://x.example"}
        )
        both = owner_of_both(services)  # no tenant named, and two to choose from
        problem = await client.get(PRODUCTS, headers={"Origin": origin, **both})

    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == origin
    assert elsewhere.status_code == 400
    assert problem.status_code == 400  # which tenant? a problem, with every header
    assert problem.headers["Access-Control-Allow-Origin"] == origin
    assert problem.headers["Strict-Transport-Security"] == "max-age=600"
    assert problem.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert problem.headers["X-Frame-Options"] == "DENY"


def test_any_origin_with_credentials_stops_the_shop_at_start_up() -> None:
    with pytest.raises(ValidationError, match="may not hold"):
        Settings(_env_file=None, cors_origins=["*"], cors_credentials=True)


# --8<-- [end:shop-cors-test]


# --8<-- [start:mounted-secrets-test]
@pytest.fixture
def mounted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of secrets as Kubernetes mounts them: a file per key, a newline at the end."""
    folder = tmp_path / "secrets"
    folder.mkdir()
    url = f"postgresql+asyncpg://shop:{PASSWORD}@127.0.0.1:9/shop"  # nobody listens there
    (folder / "database_url").write_text(url + "\n", encoding="utf-8")
    (folder / "SMTP_PASSWORD").write_text(PASSWORD + "\n", encoding="utf-8")
    monkeypatch.setenv("SHOP_SECRETS_DIR", str(folder))
    for name in ("DATABASE_URL", "SMTP_PASSWORD", "SHOP_CONFIG", "SHOP_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


def test_a_mounted_secret_is_used_and_config_show_masks_it(mounted: Path) -> None:
    configured = configure(Settings, {})
    shown = CliRunner().invoke(cli, ["config", "show"])

    settings = configured.settings
    assert settings.database_url.get_secret_value().endswith("@127.0.0.1:9/shop")
    assert settings.smtp_password == SecretStr(PASSWORD)
    assert json.loads(shown.output)["database_url"] == {
        "value": "**********",
        "from": f"secret:{mounted / 'database_url'}",
    }
    assert PASSWORD not in shown.output


@pytest.mark.usefixtures("mounted", "structlog_restored", "root_logger_restored")
async def test_a_mounted_secret_reaches_no_log_line_and_no_problem_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("DEBUG")
    services = bootstrap(Settings())
    transport = httpx.ASGITransport(app=shop_app(services), raise_app_exceptions=False)
    # Each request in a task of its own: coverage stops tracing a frame that awaits a
    # refused connection itself, and this test's lines are shown as proof.
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        ready = await asyncio.create_task(client.get("/api/v1/health/ready"))  # no database
        owner = {"X-Tenant-ID": "acme", **bearer(services, "ann")}
        products = await asyncio.create_task(client.get(PRODUCTS, headers=owner))
    structlog.get_logger("test").info("settings", settings=services.settings)
    await services.aclose()

    logged = capsys.readouterr().err
    assert ready.status_code == products.status_code == 503
    assert "settings" in logged
    for text in (logged, ready.text, products.text):
        assert PASSWORD not in text


# --8<-- [end:mounted-secrets-test]


def test_a_folder_of_secrets_that_is_not_there_stops_every_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SHOP_SECRETS_DIR", str(tmp_path / "nowhere"))

    result = CliRunner().invoke(cli, ["config", "show"])

    assert result.exit_code == 2
    assert "nowhere: no such folder of secrets" in result.output
