"""The port of the login throttle: how many failed logins an account or address may have."""

from collections.abc import Sequence
from typing import Protocol


# --8<-- [start:login-throttle]
class LoginThrottle(Protocol):
    """Counts failed logins per key (an account, an address) over a moving window."""

    async def retry_after(self, keys: Sequence[str], /) -> int | None:
        """Seconds until every key may try again, or ``None`` when none is blocked."""
        ...

    async def failed(self, keys: Sequence[str], /) -> None:
        """Count a failed login against every key."""
        ...

    async def succeeded(self, key: str, /) -> None:
        """Forget the failures of ``key``, the account that logged in."""
        ...

    async def aclose(self) -> None:
        """Release the connections to where the failures are counted, if any."""
        ...


# --8<-- [end:login-throttle]
