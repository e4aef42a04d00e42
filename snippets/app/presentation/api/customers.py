"""The customer endpoints, version 1 (mounted under ``/api/v1``).

Each endpoint translates HTTP into one use case or query call and back; there is no
business logic here. Errors are not handled here either: the use cases and queries
raise domain errors and :mod:`app.presentation.api.problems` says which problem
document answers each.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from app.application.dto.customer_commands import ListCustomers, RegisterCustomer, RenameCustomer
from app.application.dto.customer_views import CustomerPage, CustomerView
from app.application.use_cases.deactivate_customer import deactivate_customer
from app.application.use_cases.register_customer import register_customer
from app.application.use_cases.rename_customer import rename_customer
from app.presentation.api.dependencies import ClockDep, CustomerQueriesDep, UnitOfWorkDep

router = APIRouter(prefix="/customers", tags=["customers"])


# --8<-- [start:register-endpoint]
@router.post("", status_code=status.HTTP_201_CREATED, operation_id="register_customer")
async def register(
    command: RegisterCustomer,
    uow: UnitOfWorkDep,
    clock: ClockDep,
    request: Request,
    response: Response,
) -> CustomerView:
    """Register a customer; the ``Location`` header names the new resource."""
    customer = await register_customer(command, uow, clock)
    response.headers["Location"] = str(request.url_for("read", customer_id=customer.id))
    return customer


# --8<-- [end:register-endpoint]


# --8<-- [start:read-endpoints]
@router.get("", operation_id="list_customers")
async def read_page(
    page: Annotated[ListCustomers, Query()], queries: CustomerQueriesDep
) -> CustomerPage:
    """List customers in e-mail order, ``limit`` at a time.

    Pass a page's ``next_cursor`` as ``after`` to get the page that follows it; the last
    page has none.
    """
    return await queries.list_page(after=page.after, limit=page.limit)


@router.get("/{customer_id}", operation_id="get_customer")
async def read(customer_id: UUID, queries: CustomerQueriesDep) -> CustomerView:
    """Return one customer, active or not."""
    return await queries.get(customer_id)


# --8<-- [end:read-endpoints]


# Commands that are not plain field updates get their own sub-resource, named after
# what happens in the business, rather than a PATCH that hides the intent.
@router.post("/{customer_id}/rename", operation_id="rename_customer")
async def rename(customer_id: UUID, command: RenameCustomer, uow: UnitOfWorkDep) -> CustomerView:
    """Change a customer's display name."""
    return await rename_customer(customer_id, command, uow)


@router.post("/{customer_id}/deactivate", operation_id="deactivate_customer")
async def deactivate(customer_id: UUID, uow: UnitOfWorkDep) -> CustomerView:
    """Deactivate a customer."""
    return await deactivate_customer(customer_id, uow)
