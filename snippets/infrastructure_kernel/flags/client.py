"""OpenFeature's client, bound to one provider that no other app in the process shares."""

from uuid import uuid4

from openfeature import api
from openfeature.client import OpenFeatureClient
from openfeature.provider import FeatureProvider


# --8<-- [start:flag-client]
def flag_client(provider: FeatureProvider) -> OpenFeatureClient:
    """Register ``provider`` under a domain of its own, and return that domain's client.

    OpenFeature keeps its providers in one registry per process, and a provider set
    without a domain is every client's. An app that registered its provider that way
    would answer with the flags of whichever app was built last; tests build many, and
    each must see its own configuration. The provider is ready when this returns.
    """
    domain = f"app-{uuid4().hex}"
    api.set_provider_and_wait(provider, domain)
    return api.get_client(domain)


# --8<-- [end:flag-client]
