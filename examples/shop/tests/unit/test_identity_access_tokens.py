"""The shop's access tokens: signed, checked, and every forgery refused.

Each attack on a JWT verifier is a test of its own: a forged signature, expired and
not-yet-valid tokens, ``alg: none``, algorithm confusion, a wrong audience or issuer,
an unknown key, missing claims, oversized and malformed tokens.
"""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from identity.application.interfaces.access_tokens import InvalidAccessTokenError
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.infrastructure.security.jwt_access_tokens import MAX_TOKEN_LENGTH, JwtAccessTokens
from identity.infrastructure.security.signing_keys import KeySet, SigningKey
from infrastructure_kernel.http.hostile_input import hostile_header_values, hostile_text
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId

pytestmark = pytest.mark.anyio

NOW = datetime.now(UTC)
KEY = SigningKey.generate(NOW)
TOKENS = JwtAccessTokens(
    KeySet((KEY,)), issuer="shop", audience="shop-api", lifetime=timedelta(minutes=5)
)


def claims(**changes: Any) -> dict[str, Any]:
    now = int(datetime.now(UTC).timestamp())
    valid = {
        "iss": "shop",
        "aud": "shop-api",
        "sub": "someone",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": "j1",
    }
    return {name: value for name, value in {**valid, **changes}.items() if value is not None}


def signed(payload: dict[str, Any], key: SigningKey = KEY, **header: Any) -> str:
    return jwt.encode(
        payload, key.private_key, algorithm="EdDSA", headers={"kid": KEY.kid, **header}
    )


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    return head + "." + b64(signature)


async def refused(token: str) -> str:
    with pytest.raises(InvalidAccessTokenError) as refusal:
        await TOKENS.verify(token)
    return str(refusal.value)


async def test_an_issued_token_is_accepted_and_says_whom_it_is_for() -> None:
    issued = TOKENS.issue("user-1")

    accepted = await TOKENS.verify(issued.token)

    assert (accepted.subject, accepted.issuer, issued.expires_in) == ("user-1", "shop", 300)
    assert jwt.get_unverified_header(issued.token) == {"alg": "EdDSA", "kid": KEY.kid, "typ": "JWT"}
    assert accepted.token_id != (await TOKENS.verify(TOKENS.issue("user-1").token)).token_id


async def test_a_forged_signature_is_refused() -> None:
    forger = SigningKey.generate(NOW)  # the attacker's key, under the shop's kid

    assert "InvalidSignatureError" in await refused(signed(claims(), key=forger))


async def test_a_token_with_one_changed_claim_is_refused() -> None:
    header, _, signature = TOKENS.issue("user-1").token.split(".")
    payload = b64(json.dumps(claims(sub="admin")).encode())

    assert "Signature" in await refused(f"{header}.{payload}.{signature}")


async def test_an_expired_token_is_refused() -> None:
    an_hour_ago = FixedClock(datetime.now(UTC) - timedelta(hours=1))
    old = JwtAccessTokens(
        KeySet((KEY,)),
        issuer="shop",
        audience="shop-api",
        lifetime=timedelta(minutes=5),
        clock=an_hour_ago,
    )

    assert "ExpiredSignatureError" in await refused(old.issue("user-1").token)


async def test_a_token_not_valid_yet_is_refused() -> None:
    later = int(datetime.now(UTC).timestamp()) + 600

    assert "ImmatureSignatureError" in await refused(signed(claims(nbf=later, exp=later + 300)))


async def test_alg_none_is_refused() -> None:
    token = hand_made({"alg": "none", "kid": KEY.kid, "typ": "JWT"}, claims())

    assert "InvalidAlgorithmError" in await refused(token)


async def test_hmac_keyed_with_the_public_key_is_refused() -> None:
    # Algorithm confusion: a verifier that let the header choose the algorithm would
    # use the public key, which anyone has, as an HMAC secret.
    public = KEY.private_key.public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "kid": KEY.kid, "typ": "JWT"}
    unsigned = hand_made(header, claims()).rsplit(".", 1)[0]
    signature = hmac.new(public, unsigned.encode(), hashlib.sha256).digest()

    assert "InvalidAlgorithmError" in await refused(f"{unsigned}.{b64(signature)}")


@pytest.mark.parametrize(("claim", "value"), [("aud", "another-api"), ("iss", "another-issuer")])
async def test_a_token_for_another_audience_or_from_another_issuer_is_refused(
    claim: str, value: str
) -> None:
    reason = await refused(signed(claims(**{claim: value})))

    assert ("Audience" if claim == "aud" else "Issuer") in reason


@pytest.mark.parametrize("claim", ["iss", "aud", "sub", "exp", "nbf", "iat", "jti"])
async def test_a_token_without_a_registered_claim_is_refused(claim: str) -> None:
    assert "MissingRequiredClaimError" in await refused(signed(claims(**{claim: None})))


async def test_a_token_whose_subject_is_not_a_string_is_refused() -> None:
    assert "Subject" in await refused(signed(claims(sub=42)))


async def test_a_token_naming_an_unknown_key_or_none_is_refused() -> None:
    assert "unknown key" in await refused(signed(claims(), kid="someone-elses"))
    token = jwt.encode(claims(), KEY.private_key, algorithm="EdDSA")

    assert "names no key" in await refused(token)


def tokens_with(keys: KeySet) -> JwtAccessTokens:
    return JwtAccessTokens(keys, issuer="shop", audience="shop-api", lifetime=timedelta(minutes=5))


async def test_a_next_key_verifies_the_tokens_it_will_sign_and_signs_none_yet() -> None:
    upcoming = SigningKey.generate(NOW)
    published = tokens_with(KeySet((KEY,), upcoming))
    promoted = tokens_with(KeySet((KEY,), upcoming).promoted(upcoming.kid))

    assert kid_of(published.issue("user-1").token) == KEY.kid  # the current key still signs
    assert kid_of(promoted.issue("user-2").token) == upcoming.kid
    assert (await published.verify(promoted.issue("user-2").token)).subject == "user-2"
    assert "unknown key" in await refused(promoted.issue("user-2").token)  # without it


async def test_after_a_promotion_tokens_of_the_previous_key_are_still_accepted() -> None:
    upcoming = SigningKey.generate(NOW)
    newer = tokens_with(KeySet((KEY,), upcoming).promoted(upcoming.kid))

    assert (await newer.verify(TOKENS.issue("user-1").token)).subject == "user-1"


def kid_of(token: str) -> str:
    found: str = jwt.get_unverified_header(token)["kid"]
    return found


async def test_an_oversized_token_is_refused_before_it_is_parsed() -> None:
    assert "oversized" in await refused("e" * (MAX_TOKEN_LENGTH + 1))


@settings(max_examples=200, deadline=None)
@given(st.one_of(hostile_text(), hostile_header_values(), st.just("a.b.c"), st.just("..")))
def test_any_text_as_a_token_is_refused_and_nothing_else_is_raised(text: str) -> None:
    with pytest.raises(InvalidAccessTokenError):
        anyio.run(TOKENS.verify, text)


async def test_a_token_carries_the_memberships_it_was_issued_with() -> None:
    memberships = [
        Membership(TenantId("acme"), Role.OWNER),
        Membership(TenantId("globex"), Role.CUSTOMER),
    ]

    accepted = await TOKENS.verify(TOKENS.issue("user-1", memberships).token)
    alone = await TOKENS.verify(TOKENS.issue("user-2").token)

    assert accepted.memberships == tuple(memberships)
    assert alone.memberships == ()


@pytest.mark.parametrize(
    "tenants",
    [None, ["acme"], {"acme": "emperor"}, {"Not A Tenant": "owner"}],
    ids=["missing", "a-list", "unknown-role", "malformed-tenant"],
)
async def test_a_token_of_ours_without_a_well_formed_tenants_claim_is_refused(
    tenants: object,
) -> None:
    assert "tenants claim" in await refused(signed(claims(tenants=tenants)))
