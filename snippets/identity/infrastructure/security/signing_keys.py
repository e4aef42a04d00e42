"""The keys that sign access tokens: a key set with the current key and the previous ones.

Kept as a JSON Web Key Set (RFC 7517) in a file of its own, readable by the service's
user alone, where secrets live (a mounted secret in a container). The newest key signs;
the others still verify, so the tokens signed before a rotation stay valid until they
expire. Each key has an id (``kid``) that every token names in its header.
"""

import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

ALGORITHM = "EdDSA"
"""Ed25519 signatures: small keys, fast, deterministic, and no parameters to get wrong."""


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
        """Read a key that :meth:`private_jwk` wrote.

        Raises:
            ValueError: The JWK is not an Ed25519 private key with an id.
        """
        key = OKPAlgorithm.from_jwk(jwk)
        if not isinstance(key, Ed25519PrivateKey) or not isinstance(jwk.get("kid"), str):
            raise ValueError("a signing key is an Ed25519 private key with a kid")
        return cls(jwk["kid"], key, datetime.fromisoformat(jwk["created_at"]))


# --8<-- [end:signing-key]


# --8<-- [start:key-set]
@dataclass(frozen=True)
class KeySet:
    """The signing keys, newest first: the first signs, every one verifies."""

    keys: tuple[SigningKey, ...]

    def __post_init__(self) -> None:
        """Refuse an empty set: nothing could sign."""
        if not self.keys:
            raise ValueError("a key set holds at least one key")

    @property
    def current(self) -> SigningKey:
        """The key that signs new tokens."""
        return self.keys[0]

    def find(self, kid: str) -> SigningKey | None:
        """The key with this id, or ``None``."""
        return next((key for key in self.keys if key.kid == kid), None)

    def rotated(self, now: datetime, keep: int = 2) -> Self:
        """A set whose new key signs, keeping the ``keep - 1`` newest old keys to verify.

        Rotate at most once per access token lifetime: a key dropped sooner takes
        the tokens it signed with it.
        """
        return type(self)((SigningKey.generate(now), *self.keys[: max(keep - 1, 0)]))

    def retired(self) -> Self:
        """A set of the current key alone: the tokens the older keys signed stop working.

        Retire once the newest old token has expired, one access token lifetime after
        the rotation, and no valid token is lost.
        """
        return type(self)((self.current,))

    def public_jwks(self) -> dict[str, Any]:
        """The public keys as a JWK Set, for whoever verifies the tokens."""
        return {"keys": [key.public_jwk() for key in self.keys]}


def load_key_set(path: Path) -> KeySet:
    """Read the key set in ``path``.

    Raises:
        OSError: The file cannot be read.
        ValueError: It is not a key set that :func:`save_key_set` wrote.
    """
    document = json.loads(path.read_text(encoding="utf-8"))
    return KeySet(tuple(SigningKey.from_private_jwk(jwk) for jwk in document["keys"]))


def save_key_set(key_set: KeySet, path: Path) -> None:
    """Write ``key_set`` to ``path``, readable and writable by its owner alone.

    Written to a new file that then replaces the old one, so that a reader never sees
    half a key set, and created with mode 0600, so that no other user could ever
    read it, not even between its creation and a ``chmod``.
    """
    document = json.dumps({"keys": [key.private_jwk() for key in key_set.keys]}, indent=2)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(document)
    temporary.replace(path)


# --8<-- [end:key-set]
