"""The login throttle the shop builds: in the process, or shared by every process in Redis.

On the process's memory always, and on the Redis server in ``REDIS_URL`` when it is set
(where an unreachable server fails the test): two throttles built from the same settings
stand for two server processes. A throttle whose Redis cannot be reached fails closed.
"""

import os
from uuid import uuid4

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.infrastructure.cache.login_throttle import ThrottleUnavailableError
from shared_kernel.clock import FixedClock
from shop.bootstrap import Services, login_throttle
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .conftest import NOW

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(anonymous: httpx.AsyncClient) -> httpx.AsyncClient:
    """Identity's endpoints are called as whoever has not logged in yet: no token sent."""
    return anonymous


REDIS_URL = os.environ.get("REDIS_URL", "")
STORES = ["memory", *(["redis"] if REDIS_URL else [])]
NOBODY_LISTENS = SecretStr("redis://127.0.0.1:9/5")  # the discard port: refused at once


# --8<-- [start:shared-throttle]
@pytest.mark.parametrize("store", STORES)
async def test_processes_share_the_failures_only_in_redis(store: str) -> None:
    redis_url = SecretStr(REDIS_URL) if store == "redis" else None
    settings = Settings(_env_file=None, redis_url=redis_url, login_failures_per_account=2)
    first, second = login_throttle(settings), login_throttle(settings)
    keys = [f"account:{uuid4().hex}@example.org", f"address:{uuid4().hex}"]
    try:
        await first.failed(keys)
        await second.failed(keys)

        blocked = [await first.retry_after(keys), await second.retry_after(keys)]
    finally:
        await first.aclose()
        await second.aclose()

    assert all(wait is not None for wait in blocked) is (store == "redis")


# --8<-- [end:shared-throttle]


async def test_a_throttle_whose_redis_is_unreachable_refuses_logins(
    engine: AsyncEngine, settings: Settings
) -> None:
    throttle = login_throttle(Settings(_env_file=None, redis_url=NOBODY_LISTENS))
    with pytest.raises(ThrottleUnavailableError):
        await throttle.retry_after(["account:ann@example.org"])
    with pytest.raises(ThrottleUnavailableError):
        await throttle.failed(["account:ann@example.org"])
    with pytest.raises(ThrottleUnavailableError):
        await throttle.succeeded("account:ann@example.org")
    services = Services(settings, engine, FixedClock(NOW), login_throttle=throttle)

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=shop_app(services)), base_url="http://testserver"
    ) as client:
        form = {"grant_type": "password", "username": "a@b.cd", "password": "x" * 12}
        response = await client.post("/api/v1/auth/token", data=form)
    await throttle.aclose()

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["type"].endswith("/service-unavailable")
