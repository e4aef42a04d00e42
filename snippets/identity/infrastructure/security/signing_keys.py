"""The keys that sign access tokens: the key that signs, the next one and the previous ones.

Kept as a JSON Web Key Set (RFC 7517) in a file of its own, readable by the service's
user alone, where secrets live (a mounted secret in a container). One key signs; the
previous ones still verify, so the tokens signed before a rotation stay valid until they
expire; and the next key verifies before it signs, so that every process knows it by
the time one signs with it (ADR 98). Each key has an id (``kid``) that every token names
in its header.
"""

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from jwt.utils import base64url_decode

from infrastructure_kernel.configuration_errors import ConfigurationError
from infrastructure_kernel.remedies import Explained

ALGORITHM = "EdDSA"
"""Ed25519 signatures: small keys, fast, deterministic, and no parameters to get wrong."""

KID = re.compile(r"[A-Za-z0-9._-]{1,64}")
"""What a key's id may be: it travels in every token's header and in log lines."""

BASE64URL = re.compile(r"[A-Za-z0-9_-]{1,100}")
"""A key's halves, as RFC 7518 writes them: base64url without padding, 43 characters."""


# --8<-- [start:signing-key]
@dataclass(frozen=True)
class SigningKey:
    """One Ed25519 key pair, with its id and when it was made."""

    kid: str
    private_key: Ed25519PrivateKey = field(repr=False)
    created_at: datetime

    @classmethod
    def generate(cls, now: datetime) -> Self:
        """A new key pair; its id says when it was made, and is unique by chance."""
        kid = f"{now:%Y%m%d}-{secrets.token_hex(4)}"
        return cls(kid, Ed25519PrivateKey.generate(), now)

    def public_jwk(self) -> dict[str, Any]:
        """The public half, as a JWK that verifiers can use."""
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}

    def private_jwk(self) -> dict[str, Any]:
        """Both halves, as a JWK, with when the key was made: what the file holds."""
        jwk: dict[str, Any] = OKPAlgorithm.to_jwk(self.private_key, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": ALGORITHM, "created_at": self.created_at.isoformat()}

    @classmethod
    def from_private_jwk(cls, jwk: dict[str, Any]) -> Self:
        """Read a key that :meth:`private_jwk` wrote, checking every member it needs.

        Raises:
            ValueError: The JWK is not an Ed25519 private key with an id and a date;
                the message says which member is wrong.
        """
        kid, created_at = jwk.get("kid"), jwk.get("created_at")
        if not isinstance(kid, str) or not KID.fullmatch(kid):
            raise ValueError("its kid is not 1 to 64 letters, digits, '.', '_' or '-'")
        if (jwk.get("kty"), jwk.get("crv")) != ("OKP", "Ed25519") or "d" not in jwk:
            raise ValueError(f"{kid} is not an Ed25519 private key (kty OKP, crv Ed25519, d)")
        if jwk.get("alg", ALGORITHM) != ALGORITHM:
            raise ValueError(f"{kid} is for {jwk['alg']!r}; the shop signs with {ALGORITHM}")
        if not all(isinstance(jwk.get(m), str) and BASE64URL.fullmatch(jwk[m]) for m in "dx"):
            raise ValueError(f"{kid}: its d and x are not base64url text")
        if not isinstance(created_at, str):
            raise ValueError(f"{kid} has no created_at date")
        try:
            key = Ed25519PrivateKey.from_private_bytes(base64url_decode(jwk["d"]))
            created = datetime.fromisoformat(created_at)
        except ValueError as error:
            raise ValueError(f"{kid}: {error}") from None
        if OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)["x"] != jwk["x"]:
            raise ValueError(f"{kid}: its x is not the public half of its d")
        return cls(kid, key, created)


# --8<-- [end:signing-key]


# --8<-- [start:key-set]
class KeyState(StrEnum):
    """What a key does, as the file and ``shop keys list`` name it."""

    SIGNS = "signs"
    """Signs new tokens, and verifies."""
    NEXT = "next"
    """Published and verifies, signs once promoted: every process knows it by then."""
    VERIFIES = "verifies"
    """Verifies the tokens it signed, until they have expired and it is retired."""


@dataclass(frozen=True)
class KeySet:
    """The key that signs, then the previous ones, which verify; and the next key, if any."""

    keys: tuple[SigningKey, ...]
    next_key: SigningKey | None = None

    def __post_init__(self) -> None:
        """Refuse an empty set, in which nothing could sign, and a kid used twice."""
        if not self.keys:
            raise ValueError("a key set holds at least one key")
        kids = [key.kid for key, _ in self.states()]
        if len(set(kids)) != len(kids):
            raise ValueError("a key set names each kid once")

    @property
    def current(self) -> SigningKey:
        """The key that signs new tokens."""
        return self.keys[0]

    def states(self) -> list[tuple[SigningKey, KeyState]]:
        """Every key with its state: the one that signs, the next, then the previous ones."""
        following = [] if self.next_key is None else [(self.next_key, KeyState.NEXT)]
        previous = [(key, KeyState.VERIFIES) for key in self.keys[1:]]
        return [(self.current, KeyState.SIGNS), *following, *previous]

    def find(self, kid: str) -> SigningKey | None:
        """The key with this id, the next key included, or ``None``."""
        return next((key for key, _ in self.states() if key.kid == kid), None)

    def with_next(self, key: SigningKey) -> Self:
        """A set with ``key`` next: it verifies at once, and signs once promoted.

        Raises:
            ValueError: The set has a next key already.
        """
        if self.next_key is not None:
            raise ValueError(f"{self.next_key.kid} is next already; promote it first")
        return type(self)(self.keys, key)

    def promoted(self, kid: str, keep: int = 2) -> Self:
        """A set whose next key, ``kid``, signs; the ``keep - 1`` newest old keys verify.

        Promote once every process has read the set with the next key in it (one
        restart later): then whichever process verifies a token the new key signed
        knows the key. Promote at most once per access token lifetime: a key dropped
        sooner takes the tokens it signed with it.

        Raises:
            ValueError: ``kid`` is not the next key.
        """
        if self.next_key is None or self.next_key.kid != kid:
            named = "no key" if self.next_key is None else self.next_key.kid
            raise ValueError(f"{kid} is not the next key; {named} is next")
        return type(self)((self.next_key, *self.keys[: max(keep - 1, 0)]))

    def retired(self) -> Self:
        """A set of the signing key and the next one: the older keys' tokens stop working.

        Retire once the newest old token has expired, one access token lifetime after
        the promotion, and no valid token is lost.
        """
        return type(self)(self.keys[:1], self.next_key)

    def public_jwks(self) -> dict[str, Any]:
        """The public keys as a JWK Set, for whoever verifies the tokens: the next one too."""
        return {"keys": [key.public_jwk() for key, _ in self.states()]}


# --8<-- [end:key-set]


# --8<-- [start:key-file]
MAX_KEY_FILE_BYTES = 64 * 1024
"""The largest key set file read: a key takes under 300 bytes, a set holds three."""


class KeyFileError(Explained, ConfigurationError):
    """The key set file cannot be read as a key set."""

    looks_like = "Error: PATH: WHAT IS WRONG (a key's number and kid where it is one key's)"
    cause = "The file in AUTH_KEYS_FILE was edited by hand, cut short, or is another file."
    fix = "Restore it from your secret store; `shop keys` commands write it whole or not at all."


def load_key_set(path: Path) -> KeySet:
    """Read the key set in ``path``, as :func:`save_key_set` writes it.

    A file written before keys had states (no key has a ``state``) is read as it was
    meant: the first key signs, the others verify.

    Raises:
        OSError: The file cannot be read.
        KeyFileError: It is not a key set; the message names the file and what is wrong.
    """
    with path.open("rb") as file:
        content = file.read(MAX_KEY_FILE_BYTES + 1)
    if len(content) > MAX_KEY_FILE_BYTES:
        raise KeyFileError(f"{path}: larger than {MAX_KEY_FILE_BYTES} bytes; not a key set")
    try:
        document = json.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise KeyFileError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise KeyFileError(f"{path}:{error.lineno}: not JSON: {error.msg}") from None
    jwks = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(jwks, list) or not jwks:
        raise KeyFileError(f'{path}: not a key set: {{"keys": [...]}}, with one key at least')
    return _key_set(path, jwks)


STATES = ", ".join(KeyState)
"""The states a key's ``state`` may name, as an error message lists them."""


def _key_set(path: Path, jwks: list[Any]) -> KeySet:
    states: dict[KeyState, list[SigningKey]] = {state: [] for state in KeyState}
    legacy = all(isinstance(jwk, dict) and "state" not in jwk for jwk in jwks)
    taken: set[str] = set()
    for number, jwk in enumerate(jwks, start=1):
        if not isinstance(jwk, dict):
            raise KeyFileError(f"{path}: key {number}: not a JSON object")
        try:
            key = SigningKey.from_private_jwk(jwk)
        except ValueError as error:
            raise KeyFileError(f"{path}: key {number}: {error}") from None
        if legacy:
            state = KeyState.SIGNS if number == 1 else KeyState.VERIFIES
        elif isinstance(jwk.get("state"), str) and jwk["state"] in set(KeyState):
            state = KeyState(jwk["state"])
        else:
            raise KeyFileError(f"{path}: key {number}: its state is not one of {STATES}")
        if key.kid in taken:
            raise KeyFileError(f"{path}: key {number}: kid {key.kid} is taken by another key")
        taken.add(key.kid)
        states[state].append(key)
    signing, following = states[KeyState.SIGNS], states[KeyState.NEXT]
    if len(signing) != 1:
        raise KeyFileError(f"{path}: {len(signing)} keys sign; exactly one must")
    if len(following) > 1:
        raise KeyFileError(f"{path}: {len(following)} keys are next; one at most may be")
    return KeySet((*signing, *states[KeyState.VERIFIES]), next(iter(following), None))


def save_key_set(key_set: KeySet, path: Path) -> None:
    """Write ``key_set`` to ``path``, readable and writable by its owner alone.

    Each key is written with its ``state``, the one that signs first, so that a
    release that predates states reads the file as it should: the first key signs and
    the others, the next one included, verify. Written to a new file that then replaces
    the old one, so that a reader never sees half a key set, and created with mode
    0600, so that no other user could ever read it, not even between its creation and
    a ``chmod``.
    """
    keys = [{**key.private_jwk(), "state": state.value} for key, state in key_set.states()]
    document = json.dumps({"keys": keys}, indent=2)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(document)
    temporary.replace(path)


# --8<-- [end:key-file]
