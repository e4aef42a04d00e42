"""Opaque secret tokens: refresh tokens and the links of verification and reset mails.

A token is two random parts, ``selector.verifier``. The selector finds the stored
record by an index; the verifier is stored only as its SHA-256 digest and compared in
constant time. Someone who reads the stored records (a backup, a replica, an injected
query) holds nothing they can present, and a lookup's timing tells an attacker nothing
about a verifier, since no index is searched with it. SHA-256 rather than a slow hash:
a verifier has 256 random bits, which no guessing finds from its digest.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import ClassVar, Self

from shared_kernel.errors import InvalidValueError
from shared_kernel.value_object import ValueObject


# --8<-- [start:secret-token]
@dataclass(frozen=True)
class SecretToken(ValueObject):
    """A token as its holder presents it; only its selector and digest are stored."""

    MAX_LENGTH: ClassVar[int] = 128  # what a holder may present; ours have 66 characters

    value: str = field(repr=False)  # never in a log line or a traceback

    @classmethod
    def generate(cls) -> Self:
        """A new token from the operating system's CSPRNG: 128 bits + 256 bits."""
        return cls(f"{secrets.token_urlsafe(16)}.{secrets.token_urlsafe(32)}")

    def validate(self) -> None:
        """Refuse what cannot be a token before any lookup: overlong, not ASCII, one part."""
        selector, dot, verifier = self.value.partition(".")
        well_formed = dot and selector and verifier and self.value.isascii()
        if not well_formed or len(self.value) > self.MAX_LENGTH:
            raise InvalidValueError("not a token of this service")

    @property
    def selector(self) -> str:
        """The public half, which finds the stored record."""
        return self.value.partition(".")[0]

    def digest(self) -> str:
        """The SHA-256 digest of the secret half, in hex: what is stored."""
        return hashlib.sha256(self.value.partition(".")[2].encode("ascii")).hexdigest()

    def matches(self, stored_digest: str) -> bool:
        """Whether this token's secret half is the one ``stored_digest`` was made from.

        Compared in constant time: a comparison that stops at the first differing
        character tells, by how long it took, how much of a guess was right.
        """
        return hmac.compare_digest(self.digest(), stored_digest)


# --8<-- [end:secret-token]
