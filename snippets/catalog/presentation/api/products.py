"""The products endpoints, version 1 (mounted under ``/api/v1`` by the platform).

Each endpoint translates HTTP into one handler or query call and back; the rules live
in the domain, and errors become problem documents through
:mod:`catalog.presentation.api.problems`. Commands that are not plain field updates get a
sub-resource named after what happens in the business (``/reprice``,
``/discontinue``) rather than a ``PATCH`` that hides the intent.
"""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict

from catalog.application.dto.product_commands import (
    AddProduct,
    DiscontinueProduct,
    ListProducts,
    PriceField,
    RepriceProduct,
)
from catalog.application.dto.product_views import ProductPage, ProductView
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from catalog.application.use_cases.reprice_product import reprice_product
from catalog.presentation.api.dependencies import ActorDep, ProductQueriesDep, UnitOfWorkDep
from catalog.presentation.api.flags import HIDE_DISCONTINUED
from infrastructure_kernel.http.flags import TenantFlagsDep
from infrastructure_kernel.http.urls import resource_url

router = APIRouter(prefix="/products", tags=["products"])


class RepriceRequest(BaseModel):
    """The body of a reprice: the new price, in the currency the product has."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    price: PriceField


# --8<-- [start:read-endpoints]
@router.get("")
async def list_products(
    page: Annotated[ListProducts, Query()], queries: ProductQueriesDep, flags: TenantFlagsDep
) -> ProductPage:
    """List the tenant's products in SKU order, ``limit`` at a time.

    Pass a page's ``next_cursor`` as ``after`` to get the page that follows it; the last
    page has none. Where the ``hide-discontinued`` flag is on for the tenant, the list
    leaves out discontinued products (each stays readable by its id).
    """
    # --8<-- [start:flag-check]
    hide = await flags.is_on(HIDE_DISCONTINUED)
    return await queries.list_page(after=page.after, limit=page.limit, active_only=hide)
    # --8<-- [end:flag-check]


@router.get("/{product_id}")
async def get_product(product_id: UUID, queries: ProductQueriesDep) -> ProductView:
    """Return one product, discontinued or not."""
    return await queries.get(product_id)


# --8<-- [end:read-endpoints]


# --8<-- [start:add-endpoint]
CREATED = {
    "description": "The product was added.",
    "headers": {
        "Location": {"description": "The new product's URL.", "schema": {"type": "string"}}
    },
}


@router.post("", status_code=status.HTTP_201_CREATED, responses={201: CREATED})
async def create_product(
    command: AddProduct, uow: UnitOfWorkDep, actor: ActorDep, request: Request, response: Response
) -> ProductView:
    """Add a product; the ``Location`` header names the new resource."""
    product = await add_product(command, uow, actor=actor)
    response.headers["Location"] = resource_url(request, "get_product", product_id=product.id)
    return product


# --8<-- [end:add-endpoint]


@router.post("/{product_id}/reprice", operation_id="reprice_product")
async def reprice(
    product_id: UUID, body: RepriceRequest, uow: UnitOfWorkDep, actor: ActorDep
) -> ProductView:
    """Change a product's price; the currency stays the one it was added with."""
    command = RepriceProduct(product_id=product_id, price=body.price)
    return await reprice_product(command, uow, actor=actor)


@router.post("/{product_id}/discontinue", operation_id="discontinue_product")
async def discontinue(product_id: UUID, uow: UnitOfWorkDep, actor: ActorDep) -> ProductView:
    """Stop selling a product; it stays readable, and orders no longer accept it."""
    return await discontinue_product(DiscontinueProduct(product_id=product_id), uow, actor=actor)
