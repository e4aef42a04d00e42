"""An order's status, pushed as Server-Sent Events while it changes (ADR 50).

``GET /api/v1/orders/{order_id}/status-events`` answers ``text/event-stream``: the
order's status at once, then each change as it commits, and a comment line as a
heartbeat while nothing changes. The stream ends when the order reaches a final status
(shipped or cancelled). A client of another tenant gets the 404 of any other read.
"""

import json
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, Protocol, runtime_checkable
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import StreamingResponse

from infrastructure_kernel.http.problems import PROBLEM_CONTENT, ProblemType
from infrastructure_kernel.http.request_state import app_services, request_tenant
from infrastructure_kernel.remedies import Remedies, Remedy
from ordering.application.interfaces.order_status_feed import (
    OrderStatusFeed,
    StatusSubscription,
    TooManySubscribersError,
)
from ordering.domain.value_objects.order_status import ALLOWED_TRANSITIONS, OrderStatus
from ordering.presentation.api.dependencies import OrderQueriesDep
from shared_kernel.tenancy import TenantId

router = APIRouter(prefix="/orders", tags=["orders"])

EVENT_STREAM = "text/event-stream"
SUBSCRIBERS_FULL = ProblemType(503, "", "Service Unavailable")
"""Every subscription this process allows is taken: ``about:blank``, with ``Retry-After``."""
REMEDIES: Remedies = {
    "503": Remedy(
        "A status stream was refused: the tenant or the process has as many subscribers"
        " as STATUS_SUBSCRIBERS_PER_TENANT or STATUS_SUBSCRIBERS allow.",
        "Clients: reconnect after Retry-After seconds. Operators: raise the limits if the"
        " streams are legitimate, or add replicas.",
    ),
}


@runtime_checkable
class StatusFeedServices(Protocol):
    """What the status stream needs from the application serving it."""

    def order_status_feed(self) -> OrderStatusFeed:
        """The feed of committed status changes of this process."""
        ...


Subscribe = Callable[[UUID], StatusSubscription]


async def subscribe(request: Request) -> Subscribe:
    """Subscribe to an order of the request's tenant; the caller closes the subscription."""
    services: StatusFeedServices = app_services(request, StatusFeedServices)
    tenant_id: TenantId = request_tenant(request)
    feed = services.order_status_feed()
    return lambda order_id: feed.subscribe(tenant_id, order_id)


SubscribeDep = Annotated[Subscribe, Depends(subscribe)]


# --8<-- [start:event-stream]
def server_sent_event(order_id: UUID, status: OrderStatus) -> str:
    """One event in the ``text/event-stream`` format: its type, its data, a blank line."""
    data = json.dumps({"order_id": str(order_id), "status": status.value})
    return f"event: status\ndata: {data}\n\n"


HEARTBEAT = ": heartbeat\n\n"  # a comment line: clients ignore it, proxies see traffic


async def status_stream(
    order_id: UUID, current: OrderStatus, subscription: StatusSubscription
) -> AsyncIterator[str]:
    """The current status, then each change, until a final status; heartbeats between."""
    try:
        yield server_sent_event(order_id, current)
        status = current
        while ALLOWED_TRANSITIONS[status]:  # a final status has nowhere to go
            change = await subscription.next_change()
            if change is None:
                yield HEARTBEAT
                continue
            status = change.status
            yield server_sent_event(order_id, status)
    finally:
        subscription.close()  # also when the client goes away and the stream is cancelled


# --8<-- [end:event-stream]


STATUS_EVENTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The order's status, then each change; `: heartbeat` comments between.",
        "content": {EVENT_STREAM: {"schema": {"type": "string"}}},
    },
    503: {
        "description": "Too many subscribers; retry after `Retry-After` seconds.",
        "content": PROBLEM_CONTENT,
    },
}


# --8<-- [start:status-events-endpoint]
@router.get("/{order_id}/status-events", response_class=StreamingResponse, responses=STATUS_EVENTS)
async def status_events(
    order_id: UUID, queries: OrderQueriesDep, subscribe: SubscribeDep
) -> StreamingResponse:
    """Stream the order's status as Server-Sent Events, until it is shipped or cancelled."""
    try:
        # Subscribed before the order is read, so no change can fall between the two.
        subscription = subscribe(order_id)
    except TooManySubscribersError as error:
        headers = {"Retry-After": str(error.retry_after)}
        raise HTTPException(503, str(error), headers=headers) from error
    try:
        order = await queries.get(order_id)  # another tenant's order is not found
    except BaseException:
        subscription.close()
        raise
    return StreamingResponse(
        status_stream(order_id, order.status, subscription),
        media_type=EVENT_STREAM,
        # Neither a cache nor a buffering proxy may hold the events back.
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


# --8<-- [end:status-events-endpoint]
