"""What comes out of the customer use cases and queries: plain data, safe to serialise.

No entity leaves the application layer. Use cases build views from the aggregate they
changed; the query port's adapter builds them straight from rows.
"""

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from app.application.dto.customer_commands import EmailField
from app.domain.entities.customer import Customer


# --8<-- [start:views]
class CustomerView(BaseModel):
    """A customer as callers see it."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    email: str
    name: str
    active: bool
    registered_at: datetime

    @classmethod
    def from_customer(cls, customer: Customer) -> Self:
        """Copy what callers may see out of the aggregate."""
        return cls(
            id=customer.id.value,
            email=customer.email.value,
            name=customer.name.value,
            active=customer.active,
            registered_at=customer.registered_at,
        )


class CustomerPage(BaseModel):
    """One page of the directory in e-mail order, and where the next page starts.

    Attributes:
        items: Up to the requested number of customers.
        next_cursor: Pass it as ``after`` to get the next page; ``None`` on the last page.
    """

    model_config = ConfigDict(frozen=True)

    items: list[CustomerView]
    next_cursor: str | None


class CustomerCursor(BaseModel):
    """The key of the directory, in e-mail order: a page starts after this address.

    A cursor (``next_cursor``, ``after``) is this key, encoded by the query adapter.
    """

    model_config = ConfigDict(frozen=True)

    email: EmailField


# --8<-- [end:views]
