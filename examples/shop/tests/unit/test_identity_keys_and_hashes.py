"""The signing keys' states, rotation and file, hostile files included, and Argon2id."""

import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from identity.infrastructure.security.argon2_hasher import Argon2PasswordHasher
from identity.infrastructure.security.signing_keys import (
    MAX_KEY_FILE_BYTES,
    KeyFileError,
    KeySet,
    KeyState,
    SigningKey,
    load_key_set,
    save_key_set,
)
from infrastructure_kernel.http.hostile_input import hostile_text, hostile_values

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
CHEAP = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
FIRST, SECOND, THIRD = (SigningKey.generate(NOW) for _ in range(3))


def states(key_set: KeySet) -> list[tuple[str, KeyState]]:
    return [(key.kid, state) for key, state in key_set.states()]


def test_a_key_set_is_saved_for_its_owner_alone_and_read_back(tmp_path: Path) -> None:
    key_set = KeySet((FIRST, SECOND), THIRD)
    path = tmp_path / "keys.json"

    save_key_set(key_set, path)
    again = load_key_set(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert states(again) == [
        (FIRST.kid, KeyState.SIGNS),
        (THIRD.kid, KeyState.NEXT),
        (SECOND.kid, KeyState.VERIFIES),
    ]
    assert again.public_jwks() == key_set.public_jwks()
    assert list(tmp_path.iterdir()) == [path]  # the temporary file was renamed


def test_a_next_key_is_published_and_found_but_the_current_key_signs() -> None:
    key_set = KeySet((FIRST,)).with_next(SECOND)

    assert key_set.current is FIRST
    assert key_set.find(SECOND.kid) is SECOND
    assert [key["kid"] for key in key_set.public_jwks()["keys"]] == [FIRST.kid, SECOND.kid]


def test_a_promotion_makes_the_next_key_sign_keeps_the_previous_and_drops_older_ones() -> None:
    second = KeySet((FIRST,)).with_next(SECOND).promoted(SECOND.kid)
    third = second.with_next(THIRD).promoted(THIRD.kid)

    assert (second.current, second.keys[1:], second.next_key) == (SECOND, (FIRST,), None)
    assert (third.current, third.keys[1:]) == (THIRD, (SECOND,))
    assert third.find(FIRST.kid) is None
    assert FIRST.kid.startswith("20250314-")


def test_only_the_next_key_is_promoted_and_only_one_is_next_at_a_time() -> None:
    with pytest.raises(ValueError, match=f"{SECOND.kid} is not the next key; no key is next"):
        KeySet((FIRST,)).promoted(SECOND.kid)
    with pytest.raises(ValueError, match=f"{FIRST.kid} is not the next key; {SECOND.kid} is"):
        KeySet((FIRST,), SECOND).promoted(FIRST.kid)
    with pytest.raises(ValueError, match=f"{SECOND.kid} is next already; promote it first"):
        KeySet((FIRST,), SECOND).with_next(THIRD)


def test_a_retirement_keeps_the_signing_and_the_next_key() -> None:
    assert KeySet((FIRST, SECOND), THIRD).retired() == KeySet((FIRST,), THIRD)


def test_an_empty_key_set_a_kid_used_twice_or_a_key_that_is_not_ed25519_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one key"):
        KeySet(())
    with pytest.raises(ValueError, match="each kid once"):
        KeySet((FIRST,), FIRST)
    public = SigningKey.generate(NOW).public_jwk()
    with pytest.raises(ValueError, match="Ed25519 private key"):
        SigningKey.from_private_jwk({**public, "created_at": NOW.isoformat()})


def test_the_published_keys_hold_no_private_part() -> None:
    jwks = KeySet((FIRST,), SECOND).public_jwks()

    assert [sorted(key) for key in jwks["keys"]] == [["alg", "crv", "kid", "kty", "use", "x"]] * 2


def test_a_file_from_before_the_states_is_read_as_it_was_meant(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": [FIRST.private_jwk(), SECOND.private_jwk()]}))

    assert states(load_key_set(path)) == [
        (FIRST.kid, KeyState.SIGNS),
        (SECOND.kid, KeyState.VERIFIES),
    ]


def test_a_file_with_a_next_key_reads_as_a_release_before_states_expects(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    save_key_set(KeySet((FIRST, SECOND), THIRD), path)

    written = json.loads(path.read_text())["keys"]

    assert [(key["kid"], key["state"]) for key in written] == [
        (FIRST.kid, "signs"),  # first: what an older release signs with
        (THIRD.kid, "next"),
        (SECOND.kid, "verifies"),
    ]


def private(key: SigningKey = FIRST, **members: Any) -> dict[str, Any]:
    """``key`` as the file holds it, with ``members`` changed (``None`` drops one)."""
    jwk = {**key.private_jwk(), "state": "signs", **members}
    return {name: value for name, value in jwk.items() if value is not None}


HOSTILE_FILES: dict[str, tuple[Any, str]] = {
    "not-an-object": ([private()], 'not a key set: {"keys": [...]}'),
    "no-keys": ({"keys": []}, "with one key at least"),
    "keys-not-a-list": ({"keys": {"a": 1}}, "not a key set"),
    "key-not-an-object": ({"keys": ["key"]}, "key 1: not a JSON object"),
    "kid-missing": ({"keys": [private(kid=None)]}, "key 1: its kid is not 1 to 64"),
    "kid-a-number": ({"keys": [private(kid=7)]}, "key 1: its kid is not"),
    "kid-with-spaces": ({"keys": [private(kid="a b")]}, "key 1: its kid is not"),
    "kid-huge": ({"keys": [private(kid="k" * 65)]}, "key 1: its kid is not"),
    "not-okp": ({"keys": [private(kty="RSA")]}, "is not an Ed25519 private key"),
    "public-only": ({"keys": [private(d=None)]}, "is not an Ed25519 private key"),
    "other-alg": ({"keys": [private(alg="HS256")]}, "is for 'HS256'; the shop signs with EdDSA"),
    "d-a-number": ({"keys": [private(d=12)]}, "its d and x are not base64url text"),
    "x-missing": ({"keys": [private(x=None)]}, "its d and x are not base64url text"),
    "d-too-short": ({"keys": [private(d="AAAA")]}, "is 32 bytes long"),
    "x-of-another": ({"keys": [private(x=SECOND.private_jwk()["x"])]}, "not the public half"),
    "created-missing": ({"keys": [private(created_at=None)]}, "has no created_at date"),
    "created-a-number": ({"keys": [private(created_at=1)]}, "has no created_at date"),
    "created-not-a-date": ({"keys": [private(created_at="yesterday")]}, "Invalid isoformat"),
    "state-unknown": ({"keys": [private(state="signing")]}, "state is not one of signs, next"),
    "state-a-list": ({"keys": [private(state=["signs"])]}, "state is not one of"),
    "state-missing-on-one": (
        {"keys": [private(), private(SECOND, state=None)]},
        "key 2: its state is not one of",
    ),
    "kid-twice": (
        {"keys": [private(), private(SECOND, kid=FIRST.kid, state="next")]},
        f"key 2: kid {FIRST.kid} is taken by another key",
    ),
    "none-signs": ({"keys": [private(state="next")]}, "0 keys sign; exactly one must"),
    "two-sign": ({"keys": [private(), private(SECOND)]}, "2 keys sign; exactly one must"),
    "two-next": (
        {"keys": [private(), private(SECOND, state="next"), private(THIRD, state="next")]},
        "2 keys are next; one at most may be",
    ),
}


@pytest.mark.parametrize(("document", "problem"), HOSTILE_FILES.values(), ids=HOSTILE_FILES)
def test_a_hostile_key_file_is_refused_naming_the_file_and_the_problem(
    tmp_path: Path, document: Any, problem: str
) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(document))

    with pytest.raises(KeyFileError) as refused:
        load_key_set(path)

    assert str(refused.value).startswith(f"{path}: ")
    assert problem in str(refused.value)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", ":1: not JSON: Expecting value"),
        (b'{\n  "keys": [\n    {"kid": }', ":3: not JSON: Expecting value"),
        (b"\xff\xfe{}", ": not UTF-8 text"),
        (b" " * (MAX_KEY_FILE_BYTES - 2) + b"{}", ": not a key set"),  # at the limit: read
        (b" " * (MAX_KEY_FILE_BYTES - 1) + b"{}", f": larger than {MAX_KEY_FILE_BYTES} bytes"),
    ],
    ids=["empty", "cut-short", "not-utf8", "at-the-limit", "huge"],
)
def test_a_file_that_is_not_json_or_is_huge_is_refused_with_where(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "keys.json"
    path.write_bytes(content)

    with pytest.raises(KeyFileError) as refused:
        load_key_set(path)

    assert str(refused.value).startswith(f"{path}{problem}")


MEMBERS = ["kid", "kty", "crv", "alg", "d", "x", "created_at", "state"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    member=st.sampled_from(MEMBERS),
    value=st.one_of(hostile_values(), hostile_text()),
    where=st.integers(min_value=0, max_value=1),
)
def test_any_value_in_any_member_loads_or_is_refused_by_name_and_nothing_else(
    tmp_path_factory: pytest.TempPathFactory, member: str, value: Any, where: int
) -> None:
    keys = [private(), private(SECOND, state="next")]
    keys[where][member] = value
    path = tmp_path_factory.mktemp("hostile") / "keys.json"
    path.write_text(json.dumps({"keys": keys}), encoding="utf-8")

    try:
        outcome = f"{len(load_key_set(path).states())} keys"  # a value the file may hold
    except KeyFileError as error:
        outcome = str(error)

    assert outcome == "2 keys" or outcome.startswith(f"{path}: ")


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
