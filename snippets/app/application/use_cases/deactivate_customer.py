"""Use case: deactivate a customer."""

from uuid import UUID

from app.application.dto.customer_views import CustomerView
from app.application.interfaces.unit_of_work import UnitOfWork
from app.domain.repositories.customer_repository import load_customer
from app.domain.value_objects.customer_id import CustomerId


# --8<-- [start:deactivate-customer]
async def deactivate_customer(customer_id: UUID, uow: UnitOfWork) -> CustomerView:
    """Deactivate a customer; their entry stays readable.

    Raises:
        CustomerNotFoundError: No customer has this id.
        CustomerInactiveError: The customer was already deactivated.
        ConcurrencyConflictError: Someone else changed the customer meanwhile.
    """
    async with uow:
        customer = await load_customer(uow.customers, CustomerId(customer_id))
        customer.deactivate()
        await uow.commit()
    return CustomerView.from_customer(customer)


# --8<-- [end:deactivate-customer]
