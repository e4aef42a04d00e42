"""The tenant directory remembered in the process: what it asks the database, and what not.

A fake directory counts the lookups that reach it. Registered tenants are asked once, an
unknown id every time (so a tenant registered elsewhere is found at once), and the map
keeps at most ``max_entries`` tenants whatever sequence of ids clients send.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared_kernel.tenancy import TenantId
from tenancy.domain.entities.tenant import Tenant
from tenancy.infrastructure.cache.tenant_directory import CachedTenantDirectory

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


def tenant(slug: str) -> Tenant:
    return Tenant(TenantId(slug), slug.title(), NOW)


class CountingDirectory:
    """The registered tenants in a dictionary; counts the lookups that reach it."""

    def __init__(self, *slugs: str) -> None:
        self.tenants = {TenantId(slug): tenant(slug) for slug in slugs}
        self.lookups: list[TenantId] = []

    async def get(self, tenant_id: TenantId, /) -> Tenant | None:
        self.lookups.append(tenant_id)
        return self.tenants.get(tenant_id)

    async def add(self, new: Tenant, /) -> None:
        self.tenants[new.tenant_id] = new

    async def list_all(self) -> Sequence[Tenant]:
        return sorted(self.tenants.values(), key=lambda t: t.tenant_id.value)


async def test_a_registered_tenant_is_asked_once_and_an_unknown_one_every_time() -> None:
    source = CountingDirectory("acme")
    directory = CachedTenantDirectory(source)

    found = [await directory.get(TenantId("acme")) for _ in range(3)]
    missing = [await directory.get(TenantId("initech")) for _ in range(2)]
    await source.add(tenant("initech"))  # registered by another process
    late = await directory.get(TenantId("initech"))

    assert found == [tenant("acme")] * 3
    assert missing == [None, None]
    assert late == tenant("initech")
    assert source.lookups == [TenantId("acme"), *[TenantId("initech")] * 3]


async def test_a_tenant_registered_through_it_is_known_without_a_lookup() -> None:
    source = CountingDirectory()
    directory = CachedTenantDirectory(source)

    await directory.add(tenant("globex"))

    assert await directory.get(TenantId("globex")) == tenant("globex")
    assert await directory.list_all() == [tenant("globex")]
    assert source.lookups == []


async def test_the_least_recently_used_tenant_leaves_first() -> None:
    source = CountingDirectory("acme", "globex", "initech")
    directory = CachedTenantDirectory(source, max_entries=2)

    for slug in ["acme", "globex", "acme", "initech", "acme", "globex"]:
        await directory.get(TenantId(slug))

    # acme stayed (used again), globex left for initech and was asked again.
    assert [lookup.value for lookup in source.lookups] == ["acme", "globex", "initech", "globex"]


slugs = st.sampled_from(["acme", "globex", "initech", "umbrella", "hooli"])


@given(lookups=st.lists(slugs, max_size=30), size=st.integers(min_value=1, max_value=3))
async def test_any_sequence_of_lookups_answers_as_the_database_within_the_bound(
    lookups: list[str], size: int
) -> None:
    source = CountingDirectory("acme", "globex", "initech")
    directory = CachedTenantDirectory(source, max_entries=size)

    for slug in lookups:
        assert await directory.get(TenantId(slug)) == source.tenants.get(TenantId(slug))
        assert len(directory._found) <= size
