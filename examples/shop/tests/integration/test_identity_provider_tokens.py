"""An external provider's tokens, checked against the JWK Set it serves on a local port."""

from collections.abc import Iterator

import pytest

from identity.application.interfaces.access_tokens import InvalidAccessTokenError
from identity.infrastructure.security.jwks_verifier import JwksTokenVerifier, KeysUnavailableError

from .identity_provider import AUDIENCE, ISSUER, Provider, serving_provider

pytestmark = pytest.mark.anyio


class Seconds:
    """A monotonic clock that the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def provider() -> Iterator[Provider]:
    with serving_provider() as provider:
        yield provider


def verifier(provider: Provider, seconds: Seconds | None = None) -> JwksTokenVerifier:
    return JwksTokenVerifier(
        provider.url,
        issuer=ISSUER,
        audience=AUDIENCE,
        algorithms=["ES256"],
        min_refetch_interval=60,
        monotonic=seconds or Seconds(),
    )


async def test_a_providers_token_is_checked_against_its_published_keys(provider: Provider) -> None:
    checking = verifier(provider)

    claims = await checking.verify(provider.token("ann"))
    again = await checking.verify(provider.token("bob"))

    assert (claims.subject, claims.issuer, again.subject) == ("ann", ISSUER, "bob")
    assert provider.fetches == 1  # the key set is cached


async def test_a_new_key_of_the_provider_is_fetched_when_a_token_names_it(
    provider: Provider,
) -> None:
    seconds = Seconds()
    checking = verifier(provider, seconds)
    await checking.verify(provider.token("ann"))

    provider.rotate()
    seconds.now += 61
    claims = await checking.verify(provider.token("ann"))

    assert claims.subject == "ann"
    assert provider.fetches == 2


async def test_unknown_key_ids_refetch_at_most_once_per_interval(provider: Provider) -> None:
    seconds = Seconds()
    checking = verifier(provider, seconds)
    await checking.verify(provider.token("ann"))

    for number in range(5):
        with pytest.raises(InvalidAccessTokenError, match="does not have"):
            await checking.verify(provider.token("mallory", kid=f"made-up-{number}"))
        seconds.now += 20

    assert provider.fetches == 2  # the first, then one when 60 seconds had passed


async def test_a_token_the_provider_did_not_sign_or_not_for_the_shop_is_refused(
    provider: Provider,
) -> None:
    checking = verifier(provider)
    forger = Provider()
    forger.rotate()  # the same kid, another key

    with pytest.raises(InvalidAccessTokenError, match="InvalidSignatureError"):
        await checking.verify(forger.token("mallory"))
    with pytest.raises(InvalidAccessTokenError, match="InvalidAudienceError"):
        await checking.verify(provider.token("ann", aud="another-service"))


async def test_an_unreachable_provider_with_no_keys_cached_is_an_outage(
    provider: Provider,
) -> None:
    seconds = Seconds()
    checking = verifier(provider, seconds)
    provider.failing = True

    with pytest.raises(KeysUnavailableError):
        await checking.verify(provider.token("ann"))
    with pytest.raises(KeysUnavailableError):  # within the interval: not fetched again
        await checking.verify(provider.token("ann"))

    assert provider.fetches == 1
    provider.failing = False
    seconds.now += 61
    assert (await checking.verify(provider.token("ann"))).subject == "ann"


async def test_while_the_provider_is_down_the_cached_keys_still_serve(provider: Provider) -> None:
    seconds = Seconds()
    checking = verifier(provider, seconds)
    await checking.verify(provider.token("ann"))
    provider.failing = True
    seconds.now += 61

    with pytest.raises(InvalidAccessTokenError):  # a new kid cannot be had now
        await checking.verify(provider.token("ann", kid="idp-2"))
    assert (await checking.verify(provider.token("bob"))).subject == "bob"
    assert provider.fetches == 2


async def test_a_key_set_that_is_not_json_counts_as_unreachable(provider: Provider) -> None:
    provider.url = provider.url.replace("/jwks.json", "/elsewhere")  # a 404 page

    with pytest.raises(KeysUnavailableError):
        await verifier(provider).verify(provider.token("ann"))


@pytest.mark.parametrize("algorithms", [["HS256"], ["ES256", "none"]])
def test_symmetric_algorithms_and_none_cannot_be_allowed(algorithms: list[str]) -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        JwksTokenVerifier("http://127.0.0.1/", issuer="i", audience="a", algorithms=algorithms)
