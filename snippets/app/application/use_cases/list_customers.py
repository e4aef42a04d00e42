"""Use case: list the directory, one page at a time."""

from app.application.dto.customer_commands import ListCustomers
from app.application.dto.customer_views import CustomerPage, CustomerView
from app.application.interfaces.unit_of_work import UnitOfWork


# --8<-- [start:list-customers]
async def list_customers(query: ListCustomers, uow: UnitOfWork) -> CustomerPage:
    """Return one page of customers in e-mail order."""
    async with uow:
        customers = await uow.customers.list_page(offset=query.offset, limit=query.limit)
    return CustomerPage(
        items=[CustomerView.from_customer(customer) for customer in customers],
        offset=query.offset,
        limit=query.limit,
    )


# --8<-- [end:list-customers]
