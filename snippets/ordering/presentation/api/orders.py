"""The orders endpoints, version 1 (mounted under ``/api/v1`` by the platform).

Each endpoint translates HTTP into one handler or query call and back; the rules live in
the domain, and errors become problem documents through
:mod:`ordering.presentation.api.problems`. The steps of an order's life are sub-resources
named after what happens in the business (``/ship``, ``/cancel``), not a ``PATCH`` of its
status, so the state machine is the server's to enforce. Paying is not one of them: an
order becomes paid when the payment provider says so, by its verified webhook (ADR 82) or
its record that ``shop payments reconcile`` reads (ADR 100), or by an operator's
``shop orders pay``, never on a client's word.
"""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request, Response, status

from infrastructure_kernel.http.urls import resource_url
from ordering.application.dto.order_commands import (
    CancelOrder,
    ListOrders,
    PlaceOrder,
    ShipOrder,
)
from ordering.application.dto.order_views import OrderDetails, OrderPage
from ordering.application.interfaces.idempotency_store import IdempotencyKey
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.place_order import place_order
from ordering.application.use_cases.ship_order import ship_order
from ordering.presentation.api.dependencies import (
    ActorDep,
    ClockDep,
    OrderQueriesDep,
    UnitOfWorkDep,
)

router = APIRouter(prefix="/orders", tags=["orders"])

REPLAYED_HEADER = "Idempotent-Replayed"

_LOCATION: dict[str, Any] = {
    "Location": {"description": "The order's URL.", "schema": {"type": "string"}}
}
_REPLAYED: dict[str, Any] = {
    REPLAYED_HEADER: {
        "description": "`true`: an earlier request with this key placed the order.",
        "schema": {"type": "string", "enum": ["true"]},
    }
}


# --8<-- [start:read-endpoints]
@router.get("")
async def list_orders(page: Annotated[ListOrders, Query()], queries: OrderQueriesDep) -> OrderPage:
    """List the tenant's orders with their lines, newest first, ``limit`` at a time.

    Pass a page's ``next_cursor`` as ``after`` to get the page that follows it; the last
    page has none. ``status`` lists only the orders in that status.
    """
    return await queries.list_page(after=page.after, limit=page.limit, status=page.status)


@router.get("/{order_id}")
async def get_order(order_id: UUID, queries: OrderQueriesDep) -> OrderDetails:
    """Return one order with its lines and total."""
    return await queries.get(order_id)


# --8<-- [end:read-endpoints]


# --8<-- [start:place-endpoint]
@router.post(
    "",
    operation_id="place_order",
    status_code=status.HTTP_201_CREATED,
    responses={
        status.HTTP_201_CREATED: {"description": "The order was placed.", "headers": _LOCATION},
        status.HTTP_200_OK: {
            "description": "A retry: the request that first used the Idempotency-Key placed"
            " this order, and this one changed nothing.",
            "model": OrderDetails,
            "headers": {**_LOCATION, **_REPLAYED},
        },
    },
)
async def place(  # noqa: PLR0913, PLR0917 - a body, three collaborators, HTTP parts
    command: PlaceOrder,
    uow: UnitOfWorkDep,
    clock: ClockDep,
    actor: ActorDep,
    request: Request,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=IdempotencyKey.MAX_LENGTH,
            pattern=IdempotencyKey.HEADER_PATTERN,
            description="Makes retrying safe: a value of your choice, e.g. a fresh UUID, sent"
            " again with every retry of this request. A retry answers 200 with the order the"
            " first request placed; the same key with a different body is a 422 problem.",
        ),
    ] = None,
) -> OrderDetails:
    """Place an order at the catalog's current prices.

    The first request answers 201 with the order and its URL in ``Location``. A retry
    with the same ``Idempotency-Key`` and the same body places nothing: it answers 200
    (nothing was created this time) with the same order, the same ``Location``, and
    ``Idempotent-Replayed: true``.
    """
    placed = await place_order(command, uow, clock, idempotency_key, actor=actor)
    response.headers["Location"] = resource_url(request, "get_order", order_id=placed.order.id)
    if placed.replayed:
        response.status_code = status.HTTP_200_OK
        response.headers[REPLAYED_HEADER] = "true"
    return placed.order


# --8<-- [end:place-endpoint]


# --8<-- [start:lifecycle-endpoints]
@router.post("/{order_id}/ship", operation_id="ship_order")
async def ship(order_id: UUID, uow: UnitOfWorkDep, actor: ActorDep) -> OrderDetails:
    """Record that the order was shipped; only a paid order can be shipped."""
    return await ship_order(ShipOrder(order_id=order_id), uow, actor=actor)


@router.post("/{order_id}/cancel", operation_id="cancel_order")
async def cancel(order_id: UUID, uow: UnitOfWorkDep, actor: ActorDep) -> OrderDetails:
    """Cancel the order, paid or not, as long as it has not been shipped."""
    return await cancel_order(CancelOrder(order_id=order_id), uow, actor=actor)


# --8<-- [end:lifecycle-endpoints]
