"""Use case: look up one customer."""

from uuid import UUID

from app.application.dto.customer_views import CustomerView
from app.application.interfaces.unit_of_work import UnitOfWork
from app.domain.repositories.customer_repository import load_customer
from app.domain.value_objects.customer_id import CustomerId


# --8<-- [start:get-customer]
async def get_customer(customer_id: UUID, uow: UnitOfWork) -> CustomerView:
    """Return one customer.

    A query: it never commits, so leaving the unit of work rolls back a transaction
    that changed nothing.

    Raises:
        CustomerNotFoundError: No customer has this id.
    """
    async with uow:
        customer = await load_customer(uow.customers, CustomerId(customer_id))
    return CustomerView.from_customer(customer)


# --8<-- [end:get-customer]
