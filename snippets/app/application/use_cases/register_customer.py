"""Use case: register a new customer."""

from app.application.dto.customer_commands import RegisterCustomer
from app.application.dto.customer_views import CustomerView
from app.application.interfaces.unit_of_work import UnitOfWork
from app.domain.entities.customer import Customer
from app.domain.services.email_uniqueness import ensure_email_is_free
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from shared_kernel.clock import Clock


# --8<-- [start:register-customer]
async def register_customer(
    command: RegisterCustomer, uow: UnitOfWork, clock: Clock
) -> CustomerView:
    """Register a customer under an e-mail address nobody uses yet.

    Args:
        command: The validated request.
        uow: A fresh unit of work; this use case is one transaction.
        clock: Tells the registration time.

    Returns:
        The new customer.

    Raises:
        EmailAlreadyRegisteredError: The address is taken.
    """
    email = EmailAddress(command.email)
    async with uow:  # (1)!
        await ensure_email_is_free(email, uow.customers)
        customer = Customer.register(
            CustomerId.new(), email, CustomerName(command.name), registered_at=clock.now()
        )
        await uow.customers.add(customer)
        await uow.commit()  # (2)!
    return CustomerView.from_customer(customer)


# --8<-- [end:register-customer]
