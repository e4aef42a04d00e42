"""The Customer aggregate: one entry in the customer directory."""

from datetime import datetime
from typing import Self

from app.domain.errors import CustomerInactiveError
from app.domain.events.customer_events import (
    CustomerDeactivated,
    CustomerRegistered,
    CustomerRenamed,
)
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from shared_kernel.aggregate import AggregateRoot


# --8<-- [start:customer]
class Customer(AggregateRoot[CustomerId]):
    """A customer of the company, with a unique e-mail address and a display name.

    Invariants:
        * A deactivated customer cannot be renamed or deactivated again.
        * Every change records exactly one event; no event, no change.

    Create new customers with :meth:`register`. The constructor rebuilds an existing
    customer from stored state and records nothing.
    """

    def __init__(  # noqa: PLR0913 - a full snapshot of the state, each part named
        self,
        customer_id: CustomerId,
        *,
        email: EmailAddress,
        name: CustomerName,
        active: bool,
        registered_at: datetime,
        version: int = 0,
    ) -> None:
        """Rebuild a customer as it was stored; repositories call this.

        Args:
            customer_id: The identity.
            email: The unique e-mail address.
            name: The display name.
            active: False once the customer was deactivated.
            registered_at: When the customer registered (aware, UTC).
            version: The stored version, for optimistic concurrency.
        """
        super().__init__(customer_id, version=version)
        self._email = email
        self._name = name
        self._active = active
        self._registered_at = registered_at

    # --8<-- [start:register]
    @classmethod
    def register(
        cls,
        customer_id: CustomerId,
        email: EmailAddress,
        name: CustomerName,
        registered_at: datetime,
    ) -> Self:
        """Create a new, active customer and record that they registered.

        Whether the e-mail address is still free is not the customer's to know: the
        use case asks :func:`~app.domain.services.email_uniqueness.ensure_email_is_free`
        first.
        """
        customer = cls(
            customer_id, email=email, name=name, active=True, registered_at=registered_at
        )
        customer.record_event(
            CustomerRegistered(customer_id=customer_id.value, email=email.value, name=name.value)
        )
        return customer

    # --8<-- [end:register]

    @property
    def email(self) -> EmailAddress:
        """The unique e-mail address."""
        return self._email

    @property
    def name(self) -> CustomerName:
        """The display name."""
        return self._name

    @property
    def active(self) -> bool:
        """Whether the customer may still change; False after :meth:`deactivate`."""
        return self._active

    @property
    def registered_at(self) -> datetime:
        """When the customer registered."""
        return self._registered_at

    # --8<-- [start:behaviour]
    def rename(self, new_name: CustomerName) -> None:
        """Change the display name.

        Raises:
            CustomerInactiveError: The customer was deactivated.
        """
        self._ensure_active()
        if new_name == self._name:
            return  # nothing happened, so there is no event and nothing to store
        old_name, self._name = self._name, new_name
        self.record_event(
            CustomerRenamed(
                customer_id=self.id.value, old_name=old_name.value, new_name=new_name.value
            )
        )

    def deactivate(self) -> None:
        """Close the customer's entry; it stays readable but can no longer change.

        Raises:
            CustomerInactiveError: The customer was already deactivated.
        """
        self._ensure_active()
        self._active = False
        self.record_event(CustomerDeactivated(customer_id=self.id.value))

    def _ensure_active(self) -> None:
        if not self._active:
            raise CustomerInactiveError(self.id.value)

    # --8<-- [end:behaviour]


# --8<-- [end:customer]
