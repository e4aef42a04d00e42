"""The envelope every event travels in, whatever the transport.

The payload is the domain event's own fields; the envelope adds what a consumer needs
before it reads them: which event (its id, name and schema version), whose (the
tenant), when, and which request caused it (its correlation, and its trace when
traced). Its JSON schema is
generated from this model (``shop events schema``), never written by hand.
"""

from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

MAX_MESSAGE_BYTES = 256 * 1024
"""The largest body a consumer parses; a larger one is dead-lettered unread."""


# --8<-- [start:envelope]
class EventEnvelope(BaseModel):
    """One domain event as it leaves the outbox: what happened, to whom, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Event envelope")

    event_id: UUID = Field(description="Unique per event; consumers deduplicate on it.")
    event_name: str = Field(
        pattern=r"^[A-Z][A-Za-z0-9]{0,99}$",
        description="The event's type, e.g. OrderPlaced; also its routing key.",
    )
    schema_version: int = Field(ge=1, description="The version of the payload's shape.")
    tenant_id: str = Field(min_length=1, max_length=63, description="Whose event it is.")
    occurred_at: AwareDatetime = Field(description="When it happened.")
    correlation_id: str | None = Field(
        default=None,
        max_length=200,
        title="Correlation",
        description="The request or event that caused it, when one was known.",
    )
    traceparent: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
        title="Trace parent",
        description="The W3C trace context of the work that published it, when traced.",
    )
    payload: dict[str, Any] = Field(description="The event's own fields.")

    def to_bytes(self) -> bytes:
        """Serialise as the UTF-8 JSON that every transport carries."""
        return self.model_dump_json().encode()


# --8<-- [end:envelope]


class MalformedMessageError(ValueError):
    """A message that is not an envelope; retrying cannot help, so it is dead-lettered."""


def parse_envelope(body: bytes) -> EventEnvelope:
    """Read an envelope from a message body, refusing anything else with the reason.

    Raises:
        MalformedMessageError: The body is too large, not JSON, or not an envelope;
            the message names the first problems found.
    """
    if len(body) > MAX_MESSAGE_BYTES:
        raise MalformedMessageError(f"{len(body)} bytes; the limit is {MAX_MESSAGE_BYTES}")
    try:
        return EventEnvelope.model_validate_json(body)
    except ValidationError as error:
        problems = [
            f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in error.errors()[:3]
        ]
        raise MalformedMessageError("; ".join(problems)) from error


def envelope_json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`EventEnvelope`, as consumers in any language read it."""
    return EventEnvelope.model_json_schema()
