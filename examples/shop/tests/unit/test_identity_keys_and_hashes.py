"""The signing keys' file and rotation, and Argon2id."""

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from identity.infrastructure.security.argon2_hasher import Argon2PasswordHasher
from identity.infrastructure.security.signing_keys import (
    KeySet,
    SigningKey,
    load_key_set,
    save_key_set,
)

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
CHEAP = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def test_a_key_set_is_saved_for_its_owner_alone_and_read_back(tmp_path: Path) -> None:
    key_set = KeySet((SigningKey.generate(NOW),)).rotated(NOW)
    path = tmp_path / "keys.json"

    save_key_set(key_set, path)
    again = load_key_set(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [key.kid for key in again.keys] == [key.kid for key in key_set.keys]
    assert again.public_jwks() == key_set.public_jwks()
    assert list(tmp_path.iterdir()) == [path]  # the temporary file was renamed


def test_a_rotation_keeps_the_previous_key_to_verify_and_drops_older_ones() -> None:
    first = KeySet((SigningKey.generate(NOW),))
    second = first.rotated(NOW)
    third = second.rotated(NOW)

    assert second.keys[1:] == first.keys
    assert third.keys[1:] == second.keys[:1]
    assert third.find(first.current.kid) is None
    assert third.find(second.current.kid) is second.current
    assert first.current.kid.startswith("20250314-")


def test_the_published_keys_hold_no_private_part() -> None:
    jwks = KeySet((SigningKey.generate(NOW),)).public_jwks()

    assert [sorted(key) for key in jwks["keys"]] == [["alg", "crv", "kid", "kty", "use", "x"]]


def test_an_empty_key_set_or_a_key_that_is_not_ed25519_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        KeySet(())
    public = SigningKey.generate(NOW).public_jwk()
    with pytest.raises(ValueError, match="Ed25519 private key"):
        SigningKey.from_private_jwk({**public, "created_at": NOW.isoformat()})


async def test_a_password_is_hashed_with_argon2id_and_checked() -> None:
    hasher = Argon2PasswordHasher(**CHEAP)

    hashed = await hasher.hash("correct horse battery")

    assert hashed.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert await hasher.verify(hashed, "correct horse battery")
    assert not await hasher.verify(hashed, "correct horse batterY")
    assert not await hasher.verify("not a hash", "correct horse battery")
    assert hashed != await hasher.hash("correct horse battery")  # a fresh salt each time


async def test_a_hash_made_with_other_parameters_needs_a_rehash() -> None:
    old = await Argon2PasswordHasher(**CHEAP).hash("correct horse battery")
    stronger = Argon2PasswordHasher(**{**CHEAP, "time_cost": 2})

    assert stronger.needs_rehash(old)
    assert not stronger.needs_rehash(await stronger.hash("correct horse battery"))
    assert await stronger.verify(old, "correct horse battery")  # still checks
