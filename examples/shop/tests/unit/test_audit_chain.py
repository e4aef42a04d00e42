"""The hash chain: each entry's hash covers its fields and its predecessor's hash.

No database: entries are built in memory, and the verifier is fed them as the log
would be read. Every field of an entry, changed, breaks the chain at that entry; an
entry removed or moved breaks it at the first entry that no longer follows.
"""

import dataclasses
import hashlib
import math
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.domain.entities.audit_entry import AuditEntry, canonical_json
from audit.domain.services.hash_chain import ChainVerifier

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)
payloads = st.dictionaries(st.text(), json_values, max_size=5)


def chain(*payloads: dict[str, Any], tenant: str = "acme") -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for n, payload in enumerate(payloads):
        entries.append(
            AuditEntry.after(
                entries[-1] if entries else None,
                tenant_id=tenant,
                event_id=UUID(int=n + 1),
                event_name="OrderPlaced",
                occurred_at=NOW + timedelta(seconds=n),
                payload=payload,
            )
        )
    return entries


def first_break(entries: list[AuditEntry]) -> tuple[int, str] | None:
    verifier = ChainVerifier()
    for entry in entries:
        broken = verifier.check(entry)
        if broken is not None:
            return broken.sequence, broken.reason
    return None


def test_the_first_entry_follows_the_genesis_hash_and_each_next_one_its_predecessor() -> None:
    first, second = chain({"n": 1}, {"n": 2})

    assert (first.sequence, first.previous_hash) == (1, AuditEntry.GENESIS)
    assert (second.sequence, second.previous_hash) == (2, first.hash)
    expected = canonical_json(
        {
            "tenant_id": "acme",
            "sequence": 1,
            "event_id": str(UUID(int=1)),
            "event_name": "OrderPlaced",
            "occurred_at": "2025-03-14T09:26:00+00:00",
            "payload": {"n": 1},
            "previous_hash": AuditEntry.GENESIS,
        }
    )
    assert first.hash == hashlib.sha256(expected).hexdigest()


def test_the_canonical_json_sorts_keys_drops_whitespace_and_keeps_unicode() -> None:
    assert canonical_json({"b": [1, "é"], "a": None}) == '{"a":null,"b":[1,"é"]}'.encode()
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"x": math.inf})


def test_the_instant_is_hashed_in_utc_whatever_zone_it_was_read_in() -> None:
    [entry] = chain({})
    elsewhere = entry.occurred_at.astimezone(timezone(timedelta(hours=5)))

    assert dataclasses.replace(entry, occurred_at=elsewhere).computed_hash() == entry.hash


@given(st.lists(payloads, min_size=1, max_size=6))
def test_any_chain_as_written_verifies(written: list[dict[str, Any]]) -> None:
    entries = chain(*written)

    verifier = ChainVerifier()
    assert [verifier.check(entry) for entry in entries] == [None] * len(entries)
    assert (verifier.checked, verifier.head) == (len(entries), entries[-1].hash)


CHANGES: dict[str, Any] = {
    "tenant_id": "globex",
    "event_id": UUID(int=99),
    "event_name": "OrderCancelled",
    "occurred_at": NOW - timedelta(days=1),
    "payload": {"n": 666},
    "hash": "f" * 64,
}


@pytest.mark.parametrize("field", sorted(CHANGES))
@given(written=st.lists(payloads, min_size=3, max_size=6), data=st.data())
def test_a_changed_field_breaks_the_chain_at_that_entry(
    field: str, written: list[dict[str, Any]], data: st.DataObject
) -> None:
    entries = chain(*written)
    at = data.draw(st.integers(0, len(entries) - 1))
    changed = dataclasses.replace(entries[at], **{field: CHANGES[field]})
    if changed == entries[at]:  # drew the value it had
        return

    assert first_break([*entries[:at], changed, *entries[at + 1 :]]) == (
        at + 1,
        "its hash does not match its contents: it was changed after it was written",
    )


def test_a_removed_entry_breaks_the_chain_at_the_one_after_it() -> None:
    entries = chain({"n": 1}, {"n": 2}, {"n": 3})

    assert first_break([entries[0], entries[2]]) == (
        3,
        "sequence 3 where 2 was expected: an entry is missing",
    )


def test_an_entry_moved_or_replaced_breaks_the_chain_where_it_no_longer_follows() -> None:
    first, second, third = chain({"n": 1}, {"n": 2}, {"n": 3})
    moved = dataclasses.replace(third, sequence=2)  # renumbered into the second place
    # A replacement with a hash of its own: the next entry does not follow it.
    forged = AuditEntry.after(
        first,
        tenant_id="acme",
        event_id=second.event_id,
        event_name=second.event_name,
        occurred_at=second.occurred_at,
        payload={"n": 666},
    )
    reason = (
        "its previous hash is not the hash of the entry before it: an entry was moved or replaced"
    )

    assert first_break([first, moved]) == (2, reason)
    assert first_break([first, forged, third]) == (3, reason)
