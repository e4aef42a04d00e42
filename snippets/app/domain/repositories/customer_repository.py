"""The port through which use cases find and store customers."""

from typing import Protocol

from app.domain.entities.customer import Customer
from app.domain.errors import CustomerNotFoundError
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.email_address import EmailAddress
from shared_kernel.repository import Repository


# --8<-- [start:customer-repository]
class CustomerRepository(Repository[Customer, CustomerId], Protocol):
    """The customers, as a collection; ``get`` and ``add`` come from the kernel's port."""

    async def get_by_email(self, email: EmailAddress, /) -> Customer | None:
        """Load the customer with this e-mail address, or ``None``."""
        ...


# --8<-- [end:customer-repository]


async def load_customer(customers: CustomerRepository, customer_id: CustomerId) -> Customer:
    """Load a customer that must exist, for use cases that act on one.

    Raises:
        CustomerNotFoundError: No customer has this id.
    """
    customer = await customers.get(customer_id)
    if customer is None:
        raise CustomerNotFoundError(customer_id.value)
    return customer
