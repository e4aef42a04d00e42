"""Every attack on a token, sent over HTTP: one status and one problem document for all.

The verifiers' own tests say *why* each token is refused; these say what the caller
learns: a 401 with ``error="invalid_token"`` and a problem document that is the same,
byte for byte, whatever was wrong, so that probing the checks teaches nothing. On the
shop's own tokens, and on an external provider's, whose keys a local server serves.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.application.interfaces.identity_links import ExternalIdentity
from identity.application.use_cases.revoke_sessions import revoke_sessions
from identity.domain.entities.user import User
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.user_repository import SqlAlchemyUserRepository
from identity.infrastructure.security.signing_keys import KeySet, SigningKey
from shared_kernel.clock import FixedClock
from shop.bootstrap import Services, external_tokens
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .conftest import NOW
from .identity_provider import AUDIENCE, ISSUER, Provider, serving_provider

pytestmark = pytest.mark.anyio

KEY = SigningKey.generate(datetime.now(UTC))
ANN = User(UserId.new(), EmailAddress("ann@example.org"), DisplayName("Ann"), "h", NOW)
REFUSED = {
    "type": "tag:shop.example,2025:problems/authentication-required",
    "title": "Authentication required",
    "status": 401,
    "detail": "a valid access token is required",
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(
    header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]
) -> str:
    unsigned = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    return unsigned + "." + b64(sign(unsigned.encode()))


def own(**changes: Any) -> dict[str, Any]:
    """The claims of a valid token of the shop for Ann, a member of no tenant, with ``changes``."""
    now = int(datetime.now(UTC).timestamp())
    claims: dict[str, Any] = {"iss": "shop", "aud": "shop-api", "sub": str(ANN.user_id.value)}
    claims |= {"iat": now, "nbf": now, "exp": now + 300, "jti": "j1", "tenants": {}}
    return claims | changes


def without_tenants() -> dict[str, Any]:
    """Ann's claims without the ``tenants`` claim every token of the shop carries."""
    claims = own()
    del claims["tenants"]
    return claims


def signed(claims: dict[str, Any], key: SigningKey = KEY) -> str:
    return jwt.encode(claims, key.private_key, algorithm="EdDSA", headers={"kid": KEY.kid})


def confused(public_pem: bytes, kid: str, claims: dict[str, Any]) -> str:
    """HS256, keyed with the verifier's public key, which anyone can fetch."""
    header = {"alg": "HS256", "kid": kid, "typ": "JWT"}
    return hand_made(
        header, claims, lambda data: hmac.new(public_pem, data, hashlib.sha256).digest()
    )


PUBLIC_PEM = KEY.private_key.public_key().public_bytes(
    Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
)
HOUR = 3600
OWN_ATTACKS: dict[str, Callable[[], str]] = {
    "forged signature": lambda: signed(own(), SigningKey.generate(NOW)),
    "expired": lambda: signed(own(exp=own()["exp"] - 2 * HOUR, nbf=own()["nbf"] - 2 * HOUR)),
    "not yet valid": lambda: signed(own(nbf=own()["nbf"] + HOUR, exp=own()["exp"] + HOUR)),
    "alg none": lambda: hand_made({"alg": "none", "kid": KEY.kid}, own(), lambda _: b""),
    "HS256 keyed by the public key": lambda: confused(PUBLIC_PEM, KEY.kid, own()),
    "wrong audience": lambda: signed(own(aud="another-api")),
    "wrong issuer": lambda: signed(own(iss="another-issuer")),
    "unknown key": lambda: jwt.encode(
        own(), KEY.private_key, algorithm="EdDSA", headers={"kid": "someone-elses"}
    ),
    "oversized": lambda: signed(own(padding="x" * 5000)),
    "malformed": lambda: "eyJhbGciOiJFZERTQSJ9.not-json.c2ln",
    "not ASCII": lambda: signed(own())[:-2] + "é",
    "no tenants claim": lambda: signed(without_tenants()),
    "a role no one has": lambda: signed(own(tenants={"acme": "emperor"})),
}


@pytest.fixture
def services(engine: AsyncEngine, settings: Settings) -> Services:
    return Services(
        settings=settings, engine=engine, clock=FixedClock(NOW), signing_keys=KeySet((KEY,))
    )


async def refusal(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    sent = {b"Authorization": f"Bearer {token}".encode("latin-1")}  # any byte a client can send
    response = await client.get("/api/v1/me", headers=sent)
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="shop", error="invalid_token"'
    assert response.headers["content-type"] == "application/problem+json"
    assert token[-40:] not in response.text  # nothing of the token comes back
    problem: dict[str, Any] = response.json()
    return problem


# --8<-- [start:hostile-tokens]
@pytest.mark.parametrize("attack", OWN_ATTACKS)
async def test_each_attack_on_the_shops_tokens_gets_the_same_401(
    client: httpx.AsyncClient, engine: AsyncEngine, attack: str
) -> None:
    await SqlAlchemyUserRepository(engine).add(ANN)
    assert (await client.get("/api/v1/me", headers=bearer(signed(own())))).status_code == 200

    problem = await refusal(client, OWN_ATTACKS[attack]())

    assert {name: problem[name] for name in REFUSED} == REFUSED
    assert set(problem) <= {*REFUSED, "instance", "request_id"}  # not a word about why


# --8<-- [end:hostile-tokens]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def provider() -> Iterator[Provider]:
    with serving_provider() as provider:
        yield provider


def provider_attacks(provider: Provider) -> dict[str, str]:
    kid, key = provider.keys[0]
    public_pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    now = datetime.now(UTC)
    valid = jwt.decode(provider.token("idp|ann"), options={"verify_signature": False})
    forger = Provider()
    forger.rotate()
    return {
        "forged signature": forger.token("idp|ann"),
        "expired": provider.token(
            "idp|ann", exp=now - timedelta(hours=1), nbf=now - timedelta(hours=2)
        ),
        "not yet valid": provider.token("idp|ann", nbf=now + timedelta(hours=1)),
        "alg none": hand_made({"alg": "none", "kid": kid}, valid, lambda _: b""),
        "HS256 keyed by the public key": confused(public_pem, kid, valid),
        "wrong audience": provider.token("idp|ann", aud="another-service"),
        "wrong issuer": provider.token("idp|ann", iss="https://evil.example"),
        "oversized": provider.token("idp|ann", padding="x" * 5000),
        "unlinked user": provider.token("idp|bob"),
    }


async def test_each_attack_on_a_providers_tokens_gets_the_same_401(
    engine: AsyncEngine, settings: Settings, provider: Provider
) -> None:
    configured = settings.model_copy(
        update={"oidc_jwks_url": provider.url, "oidc_issuer": ISSUER, "oidc_audience": AUDIENCE}
    )
    services = Services(
        settings=configured,
        engine=engine,
        clock=FixedClock(NOW),
        external_tokens=external_tokens(configured),
    )
    await SqlAlchemyUserRepository(engine).add(ANN)
    await services.identity_links().link(ExternalIdentity(ISSUER, "idp|ann"), ANN.user_id)
    transport = httpx.ASGITransport(app=shop_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (
            await client.get("/api/v1/me", headers=bearer(provider.token("idp|ann")))
        ).status_code == 200
        problems = {
            attack: await refusal(client, token)
            for attack, token in provider_attacks(provider).items()
        }

    assert all(
        {name: problem[name] for name in REFUSED} == REFUSED for problem in problems.values()
    ), problems


async def log_in(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "ann@example.org", "password": PASSWORD},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": token}
    )


PASSWORD = "correct horse battery"  # noqa: S105 - a test user's


# --8<-- [start:refused-refresh]
async def test_every_refused_refresh_token_gets_the_same_invalid_grant(
    client: httpx.AsyncClient, services: Services
) -> None:
    user = {"email": "ann@example.org", "display_name": "Ann", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/register", json=user)).status_code == 201
    first = (await log_in(client))["refresh_token"]
    assert (await refresh(client, first)).status_code == 200
    other = (await log_in(client))["refresh_token"]
    await revoke_sessions(
        EmailAddress("ann@example.org"), services.users(), services.refresh_tokens(), services.clock
    )
    selector, _, secret = other.partition(".")

    answers = {
        "reused after rotation": await refresh(client, first),
        "revoked": await refresh(client, other),
        "forged secret": await refresh(client, f"{selector}.{secret[::-1]}"),
        "unknown": await refresh(client, "a" * 22 + "." + "b" * 43),
    }

    for answer in answers.values():
        assert answer.status_code == 400
        assert answer.json() == {
            "error": "invalid_grant",
            "error_description": "the refresh token is not valid",
        }
        assert answer.headers["cache-control"] == "no-store"
    assert (await log_in(client))["refresh_token"]  # the password still logs in


# --8<-- [end:refused-refresh]
