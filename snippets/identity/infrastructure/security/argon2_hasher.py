"""Passwords hashed with Argon2id, through argon2-cffi."""

import anyio.to_thread
from argon2 import PasswordHasher as Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError


# --8<-- [start:argon2-hasher]
class Argon2PasswordHasher:
    """Argon2id, the winner of the Password Hashing Competition; implements ``PasswordHasher``.

    The defaults are argon2-cffi's, which follow RFC 9106's second recommended
    option (64 MiB of memory, three passes). Each hash is a PHC string that names its
    own parameters (``$argon2id$v=19$m=65536,t=3,p=4$...``), so raising them later
    leaves every stored hash verifiable, and :meth:`needs_rehash` finds the old ones.
    """

    def __init__(self, time_cost: int = 3, memory_cost: int = 65_536, parallelism: int = 4) -> None:
        """Hash with these parameters.

        Args:
            time_cost: Passes over the memory.
            memory_cost: Kibibytes of memory per hash.
            parallelism: Lanes; threads, where the library uses them.
        """
        self._argon2 = Argon2(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
        )

    async def hash(self, password: str, /) -> str:
        """Hash in a worker thread: the event loop serves other requests meanwhile."""
        return await anyio.to_thread.run_sync(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str, /) -> bool:
        """Check in a worker thread; a malformed stored hash is a mismatch, never a crash."""
        return await anyio.to_thread.run_sync(self._matches, password_hash, password)

    def needs_rehash(self, password_hash: str, /) -> bool:
        """Compare the parameters the hash names with today's; no hashing involved."""
        return self._argon2.check_needs_rehash(password_hash)

    def _matches(self, password_hash: str, password: str) -> bool:
        # argon2-cffi answers a mismatch with an exception; the thread answers a bool.
        try:
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


# --8<-- [end:argon2-hasher]
