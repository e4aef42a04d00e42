"""The port of password hashing."""

from typing import Protocol


# --8<-- [start:password-hasher]
class PasswordHasher(Protocol):
    """Hashes passwords and checks them against hashes.

    Asynchronous because a good password hash is slow on purpose (tens of milliseconds
    of CPU and tens of megabytes of memory): an adapter runs it off the event loop.
    """

    async def hash(self, password: str, /) -> str:
        """Return a hash of ``password`` with a fresh salt, which names its parameters."""
        ...

    async def verify(self, password_hash: str, password: str, /) -> bool:
        """Whether ``password`` is the one ``password_hash`` was made from."""
        ...

    def needs_rehash(self, password_hash: str, /) -> bool:
        """Whether ``password_hash`` was made with other parameters than today's."""
        ...


# --8<-- [end:password-hasher]
