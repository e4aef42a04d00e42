"""What can happen to a customer, as domain events.

The fields are plain values (a UUID, strings) rather than value objects, so an event can
be serialised and read by another service without this domain model.
"""

from dataclasses import dataclass
from uuid import UUID

from shared_kernel.events import DomainEvent


# --8<-- [start:customer-events]
@dataclass(frozen=True, kw_only=True)
class CustomerRegistered(DomainEvent):
    """A new customer joined the directory."""

    customer_id: UUID
    email: str
    name: str


@dataclass(frozen=True, kw_only=True)
class CustomerRenamed(DomainEvent):
    """A customer changed the name they are known by."""

    customer_id: UUID
    old_name: str
    new_name: str


@dataclass(frozen=True, kw_only=True)
class CustomerDeactivated(DomainEvent):
    """A customer left; their entry stays, read-only, for the records."""

    customer_id: UUID


# --8<-- [end:customer-events]
