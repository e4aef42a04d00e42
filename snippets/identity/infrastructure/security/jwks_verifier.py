"""Access tokens of an external identity provider, checked against its published keys.

An OpenID Connect provider publishes its public keys as a JWK Set at a URL (its
``jwks_uri``). The keys are fetched once and cached; a token that names a key the cache
lacks makes the verifier fetch the set again, since the provider may have rotated,
but at most once per ``min_refetch_interval``, so that tokens with made-up key ids
cannot make the shop hammer the provider.
"""

import time
from collections.abc import Callable, Sequence

import anyio
import httpx
import jwt

from identity.application.interfaces.access_tokens import AccessClaims, InvalidAccessTokenError
from identity.infrastructure.security.jwt_access_tokens import decode_claims, unverified_kid


class KeysUnavailableError(Exception):
    """The provider's keys cannot be fetched, and none are cached: try again later."""

    def __init__(self) -> None:
        super().__init__("the identity provider's keys cannot be fetched now; try again later")


# --8<-- [start:jwks-verifier]
class JwksTokenVerifier:
    """Checks an external provider's tokens; implements ``AccessTokenVerifier``."""

    def __init__(  # noqa: PLR0913 - each is the provider's or the cache's
        self,
        jwks_url: str,
        *,
        issuer: str,
        audience: str,
        algorithms: Sequence[str],
        min_refetch_interval: float = 60.0,
        timeout: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Check tokens against the keys at ``jwks_url``.

        Args:
            jwks_url: Where the provider publishes its JWK Set.
            issuer: The provider's ``iss``.
            audience: The ``aud`` the provider puts in the shop's tokens.
            algorithms: The allow-list, e.g. ``["RS256", "ES256"]``; never ``none``
                or an HMAC algorithm, whose key would be public here.
            min_refetch_interval: Seconds between two fetches for an unknown ``kid``.
            timeout: Seconds a fetch may take.
            monotonic: Where the seconds come from; tests pass their own.
        """
        if any(name == "none" or name.startswith("HS") for name in algorithms):
            raise ValueError("only asymmetric algorithms verify another party's tokens")
        self._url = jwks_url
        self._issuer = issuer
        self._audience = audience
        self._algorithms = list(algorithms)
        self._min_interval = min_refetch_interval
        self._timeout = timeout
        self._monotonic = monotonic
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = anyio.Lock()

    async def verify(self, token: str, /) -> AccessClaims:
        """Find the key the header names, fetching the set if need be, and check the token.

        Raises:
            InvalidAccessTokenError: The token fails a check or names an unknown key.
            KeysUnavailableError: No key is cached and the provider cannot be reached.
        """
        kid = unverified_kid(token)
        if kid not in self._keys:
            await self._refetch()
        key = self._keys.get(kid)
        if key is None:
            raise InvalidAccessTokenError("the token names a key the provider does not have")
        return decode_claims(
            token, key.key, self._algorithms, issuer=self._issuer, audience=self._audience
        )

    async def _refetch(self) -> None:
        async with self._lock:  # concurrent requests for one new kid fetch once
            now = self._monotonic()
            if self._fetched_at is not None and now - self._fetched_at < self._min_interval:
                if not self._keys:
                    raise KeysUnavailableError  # the last fetch failed a moment ago
                return
            self._fetched_at = now
            try:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    response = await client.get(self._url)
                    response.raise_for_status()
                key_set = jwt.PyJWKSet.from_dict(response.json())
            except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as error:
                if not self._keys:
                    raise KeysUnavailableError from error
                return  # the keys cached still serve; a later unknown kid tries again
            self._keys = {key.key_id: key for key in key_set.keys if key.key_id}


# --8<-- [end:jwks-verifier]
