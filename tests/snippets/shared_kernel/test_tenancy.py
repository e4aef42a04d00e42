"""A tenant id is a lower-case slug, valid by construction."""

import re

import pytest

from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId


@pytest.mark.parametrize("slug", ["acme", "north-wind-2", "42", "a" * 63, "ab-"])
def test_a_slug_is_a_tenant_id_and_prints_as_itself(slug: str) -> None:
    assert str(TenantId(slug)) == slug
    assert TenantId(slug) == TenantId(slug)


@pytest.mark.parametrize(
    "slug",
    # "acme\n" checks that the pattern must match in full: "$" would accept a final newline.
    ["", "a", "a" * 64, "-acme", "Acme", "ac me", "acme_corp", " acme", "acme\n", "äcme"],
    ids=repr,
)
def test_anything_else_is_refused(slug: str) -> None:
    with pytest.raises(InvalidValueError, match=re.escape(f"not a tenant id: {slug!r}")):
        TenantId(slug)
