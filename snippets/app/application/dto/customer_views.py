"""What comes out of the customer use cases: plain data, safe to serialise.

No entity leaves the application layer.
"""

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

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
    """One page of the directory, in e-mail order."""

    model_config = ConfigDict(frozen=True)

    items: list[CustomerView]
    offset: int
    limit: int


# --8<-- [end:views]
