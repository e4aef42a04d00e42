"""The ``hide-discontinued`` flag over HTTP: off, on for everyone, on for some tenants.

Each test builds the shop's app on the same database with the flag set differently, as
``shop.toml``, the environment or ``--set`` would set it, and reads the product list of
two tenants.
"""

from typing import Any

import httpx
import pytest

from catalog.presentation.api.flags import HIDE_DISCONTINUED
from infrastructure_kernel.flags.rules import rollout_bucket
from shop.bootstrap import Services
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .conftest import owner_of_both

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("acme", "globex")]

PRODUCTS = "/api/v1/products"
GRAPHQL = "/api/v1/graphql"
TENANTS = ("acme", "globex")


def shop_with_flags(services: Services, feature_flags: dict[str, Any]) -> httpx.AsyncClient:
    """The shop's app on the test's database, with ``feature_flags`` as its setting."""
    settings = Settings(
        _env_file=None, database_url=services.settings.database_url, feature_flags=feature_flags
    )
    flagged = Services(
        settings=settings,
        engine=services.engine,
        clock=services.clock,
        signing_keys=services.signing_keys,  # the test's tokens stay valid here
    )
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=shop_app(flagged)),
        base_url="http://testserver",
        headers=owner_of_both(flagged),
    )


@pytest.fixture
async def two_products_each(client: httpx.AsyncClient, tenants: None) -> None:
    """For each tenant, a mug on sale and a cup discontinued."""
    del tenants  # registered first
    for tenant in TENANTS:
        headers = {"X-Tenant-ID": tenant}
        for sku in ("cup-001", "mug-001"):
            product = {"sku": sku, "name": sku, "price": {"amount": "5", "currency": "EUR"}}
            added = await client.post(PRODUCTS, json=product, headers=headers)
            assert added.status_code == 201, added.text
        cup = (await client.get(PRODUCTS, headers=headers)).json()["items"][0]
        await client.post(f"{PRODUCTS}/{cup['id']}/discontinue", headers=headers)


async def listed(services: Services, feature_flags: dict[str, Any]) -> dict[str, list[str]]:
    """Each tenant's product list, by SKU, with the flags set as given."""
    async with shop_with_flags(services, feature_flags) as client:
        pages = {
            tenant: (await client.get(PRODUCTS, headers={"X-Tenant-ID": tenant})).json()
            for tenant in TENANTS
        }
    return {tenant: [item["sku"] for item in page["items"]] for tenant, page in pages.items()}


EVERYTHING = ["CUP-001", "MUG-001"]  # SKUs are kept in upper case
ON_SALE = ["MUG-001"]


# --8<-- [start:flag-over-http-test]
@pytest.mark.usefixtures("two_products_each")
async def test_the_flag_off_lists_every_product_and_on_hides_the_discontinued(
    services: Services,
) -> None:
    assert await listed(services, {}) == {"acme": EVERYTHING, "globex": EVERYTHING}
    on = {"hide-discontinued": {"enabled": True}}
    assert await listed(services, on) == {"acme": ON_SALE, "globex": ON_SALE}


@pytest.mark.usefixtures("two_products_each")
async def test_the_flag_on_for_one_tenant_hides_them_for_that_tenant_only(
    services: Services,
) -> None:
    acme_only = {"hide-discontinued": {"tenants": ["acme"]}}
    assert await listed(services, acme_only) == {"acme": ON_SALE, "globex": EVERYTHING}


# --8<-- [end:flag-over-http-test]


@pytest.mark.usefixtures("two_products_each")
async def test_graphql_lists_what_the_rest_list_does_with_the_flag_on_for_one_tenant(
    services: Services,
) -> None:
    query = {"query": "{ products { items { sku } } }"}
    async with shop_with_flags(services, {"hide-discontinued": {"tenants": ["acme"]}}) as client:
        pages = {
            tenant: await client.post(GRAPHQL, json=query, headers={"X-Tenant-ID": tenant})
            for tenant in TENANTS
        }

    shown = {
        tenant: [item["sku"] for item in page.json()["data"]["products"]["items"]]
        for tenant, page in pages.items()
    }
    assert shown == {"acme": ON_SALE, "globex": EVERYTHING}


@pytest.mark.usefixtures("two_products_each")
async def test_a_percentage_turns_the_flag_on_for_the_tenants_its_hash_picks(
    services: Services,
) -> None:
    # Just above acme's place in the rollout: acme is in it, and globex only if it is
    # placed lower still.
    percentage = rollout_bucket(HIDE_DISCONTINUED.key, "acme") + 1
    globex_in = rollout_bucket(HIDE_DISCONTINUED.key, "globex") < percentage

    shown = await listed(services, {"hide-discontinued": {"percentage": percentage}})

    assert shown == {"acme": ON_SALE, "globex": ON_SALE if globex_in else EVERYTHING}


async def test_a_discontinued_product_stays_readable_by_its_id_with_the_flag_on(
    services: Services, client: httpx.AsyncClient
) -> None:
    product = {"sku": "cup-001", "name": "Cup", "price": {"amount": "5", "currency": "EUR"}}
    added = (await client.post(PRODUCTS, json=product, headers={"X-Tenant-ID": "acme"})).json()
    await client.post(f"{PRODUCTS}/{added['id']}/discontinue", headers={"X-Tenant-ID": "acme"})

    async with shop_with_flags(services, {"hide-discontinued": {"enabled": True}}) as flagged:
        one = await flagged.get(f"{PRODUCTS}/{added['id']}", headers={"X-Tenant-ID": "acme"})

    assert (one.status_code, one.json()["active"]) == (200, False)
