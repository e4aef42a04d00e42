"""The shop's public keys at ``/.well-known/jwks.json``, checked as another service would.

The shop is served by uvicorn on a local port, and PyJWT's ``PyJWKClient`` (what a
Python service that accepts the shop's tokens would use), then the shop's own
``JwksTokenVerifier``, fetch the key set over HTTP and verify a token the shop issued.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import anyio
import httpx
import jwt
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.infrastructure.security.jwks_verifier import JwksTokenVerifier
from identity.infrastructure.security.signing_keys import KeySet, SigningKey
from shared_kernel.clock import FixedClock
from shop.bootstrap import Services
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .conftest import NOW

pytestmark = pytest.mark.anyio

OLD, CURRENT, UPCOMING = (
    SigningKey.generate(datetime.now(UTC) - timedelta(d)) for d in (60, 30, 0)
)
KEYS = KeySet((CURRENT, OLD), UPCOMING)  # a key that signs, the one before it, and the next
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k"}  # RFC 7518's private key members


@pytest.fixture
def services(engine: AsyncEngine, settings: Settings) -> Services:
    return Services(settings=settings, engine=engine, clock=FixedClock(NOW), signing_keys=KEYS)


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free port; yield its URL."""
    # No lifespan: the test's fixtures own the engine, which the app would close.
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


async def login(client: httpx.AsyncClient) -> str:
    user = {"email": "ann@example.org", "display_name": "Ann", "password": "correct horse battery"}
    assert (await client.post("/api/v1/auth/register", json=user)).status_code == 201
    response = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": user["email"], "password": user["password"]},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


# --8<-- [start:jwks-test]
async def test_a_token_the_shop_issued_verifies_against_its_published_keys(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings
) -> None:
    token = await login(client)

    with served(app) as url:
        jwks = jwt.PyJWKClient(f"{url}/.well-known/jwks.json")
        key = await anyio.to_thread.run_sync(jwks.get_signing_key_from_jwt, token)
        claims = jwt.decode(
            token, key, algorithms=["EdDSA"], audience=settings.auth_audience, issuer="shop"
        )
        ours = JwksTokenVerifier(
            f"{url}/.well-known/jwks.json",
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
            algorithms=["EdDSA"],
        )
        verified = await ours.verify(token)

    assert key.key_id == KEYS.current.kid
    assert claims["sub"] == verified.subject


# --8<-- [end:jwks-test]


# --8<-- [start:jwks-document]
async def test_the_key_set_holds_every_verifying_key_public_and_cacheable(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/.well-known/jwks.json")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jwk-set+json"
    assert response.headers["cache-control"] == "public, max-age=300"
    keys = response.json()["keys"]
    assert [key["kid"] for key in keys] == [CURRENT.kid, UPCOMING.kid, OLD.kid]  # all verify
    for key in keys:
        assert (key["kty"], key["crv"], key["alg"], key["use"]) == (
            "OKP",
            "Ed25519",
            "EdDSA",
            "sig",
        )
        assert not PRIVATE_MEMBERS & set(key)  # never a private half


# --8<-- [end:jwks-document]


async def test_the_metadata_says_where_the_token_endpoint_and_the_keys_are(
    client: httpx.AsyncClient, services: Services
) -> None:
    relative = (await client.get("/.well-known/oauth-authorization-server")).json()
    configured = services.settings.model_copy(update={"public_base_url": "https://shop.example"})
    app = shop_app(Services(settings=configured, engine=services.engine, clock=services.clock))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://evil.example") as other:
        absolute = (await other.get("/.well-known/oauth-authorization-server")).json()

    assert relative == {
        "issuer": "shop",
        "token_endpoint": "/api/v1/auth/token",
        "jwks_uri": "/.well-known/jwks.json",
        "grant_types_supported": ["password", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["none"],
        "response_types_supported": [],
    }
    assert absolute["jwks_uri"] == "https://shop.example/.well-known/jwks.json"
    assert absolute["token_endpoint"] == "https://shop.example/api/v1/auth/token"  # noqa: S105 - a URL
