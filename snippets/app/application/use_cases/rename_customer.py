"""Use case: change a customer's display name."""

from uuid import UUID

from app.application.dto.customer_commands import RenameCustomer
from app.application.dto.customer_views import CustomerView
from app.application.interfaces.unit_of_work import UnitOfWork
from app.domain.repositories.customer_repository import load_customer
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName


# --8<-- [start:rename-customer]
async def rename_customer(
    customer_id: UUID, command: RenameCustomer, uow: UnitOfWork
) -> CustomerView:
    """Rename a customer.

    Raises:
        CustomerNotFoundError: No customer has this id.
        CustomerInactiveError: The customer was deactivated.
        ConcurrencyConflictError: Someone else changed the customer meanwhile.
    """
    async with uow:
        customer = await load_customer(uow.customers, CustomerId(customer_id))
        customer.rename(CustomerName(command.name))
        await uow.commit()
    return CustomerView.from_customer(customer)


# --8<-- [end:rename-customer]
