"""The event envelope: what it accepts, and that anything else is refused with a reason."""

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrastructure_kernel.messaging.correlation import correlated, current_correlation_id
from infrastructure_kernel.messaging.envelope import (
    MAX_MESSAGE_BYTES,
    EventEnvelope,
    MalformedMessageError,
    envelope_json_schema,
    parse_envelope,
)

VALID: dict[str, Any] = {
    "event_id": str(uuid4()),
    "event_name": "OrderPlaced",
    "schema_version": 1,
    "tenant_id": "acme",
    "occurred_at": "2025-03-14T09:26:00+00:00",
    "correlation_id": None,
    "payload": {"order_id": str(uuid4())},
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=10,
)


def test_an_envelope_survives_the_wire() -> None:
    envelope = EventEnvelope.model_validate(VALID)

    assert parse_envelope(envelope.to_bytes()) == envelope
    assert envelope.occurred_at == datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


@given(body=st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_with_a_reason_never_a_crash(body: bytes) -> None:
    with pytest.raises(MalformedMessageError) as refused:
        parse_envelope(body)
    assert str(refused.value)


@given(field=st.sampled_from(sorted(VALID)), value=json_values)
def test_a_field_of_the_wrong_type_is_named(field: str, value: object) -> None:
    body = {**VALID, field: value}
    try:
        EventEnvelope.model_validate_json(json.dumps(body))
    except ValueError:
        with pytest.raises(MalformedMessageError, match=field):
            parse_envelope(json.dumps(body).encode())
    else:  # the value happens to be valid for the field: it parses
        assert parse_envelope(json.dumps(body).encode()).tenant_id


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"event_name": "drop table"}, "event_name"),
        ({"schema_version": 0}, "schema_version"),
        ({"occurred_at": "2025-03-14T09:26:00"}, "occurred_at"),
        ({"tenant_id": ""}, "tenant_id"),
        ({"extra": 1}, "extra"),
        ({"payload": [1, 2]}, "payload"),
    ],
)
def test_hostile_values_are_named(change: dict[str, Any], named: str) -> None:
    with pytest.raises(MalformedMessageError, match=named):
        parse_envelope(json.dumps({**VALID, **change}).encode())


def test_a_huge_body_is_refused_unread() -> None:
    body = json.dumps({**VALID, "payload": {"x": "a" * MAX_MESSAGE_BYTES}}).encode()

    with pytest.raises(MalformedMessageError, match="the limit is"):
        parse_envelope(body)


def test_the_json_schema_is_generated_from_the_model() -> None:
    schema = envelope_json_schema()

    assert schema["title"] == "Event envelope"
    assert set(schema["required"]) == set(VALID) - {"correlation_id"}
    assert schema["additionalProperties"] is False


def test_a_correlation_id_holds_for_a_block_and_is_restored() -> None:
    assert current_correlation_id() is None
    with correlated("outer"):
        with correlated("inner"):
            assert current_correlation_id() == "inner"
        assert current_correlation_id() == "outer"
    assert current_correlation_id() is None
