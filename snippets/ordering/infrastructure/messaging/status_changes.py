"""The order status feed of every process, fed by the relayed events (ADR 90).

The process that commits a change publishes it to its own feed after the commit
(:mod:`ordering.application.use_cases.publish_status_changes`). The other processes hear
of it from the outbox: each server runs a consumer of its own, on a queue that goes away
with it, whose handlers here publish the status each paid, shipped or cancelled event
leaves its order in. The feed passes each event on once, whichever way came first.
"""

from collections.abc import Mapping
from uuid import UUID

from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure_kernel.messaging.consumer import Handler, PoisonMessageError
from infrastructure_kernel.messaging.envelope import EventEnvelope
from ordering.application.interfaces.order_status_feed import OrderStatusChange, OrderStatusFeed
from ordering.application.use_cases.publish_status_changes import STATUS_AFTER
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId


class _OrderEvent(BaseModel):
    """The part of every order event's payload a status change needs, in any version."""

    model_config = ConfigDict(extra="ignore")

    order_id: UUID


# --8<-- [start:status-changes]
STATUS_BY_EVENT = {event.__name__: status for event, status in STATUS_AFTER.items()}
"""The status each relayed event leaves its order in, by the event's name."""


def status_changes(feed: OrderStatusFeed) -> Mapping[str, Handler]:
    """The handlers that publish relayed paid, shipped and cancelled events to ``feed``.

    Only the envelope's tenant, id and time and the payload's order id are read, which
    every version of these events has; an event published twice reaches the
    subscribers once.
    """

    async def publish(_: AsyncConnection, envelope: EventEnvelope) -> None:
        try:
            tenant_id = TenantId(envelope.tenant_id)
        except InvalidValueError as error:  # never a tenant: no retry makes it one
            raise PoisonMessageError(str(error)) from error
        order = _OrderEvent.model_validate(envelope.payload)  # refused: dead-lettered
        status = STATUS_BY_EVENT[envelope.event_name]
        change = OrderStatusChange(order.order_id, status, envelope.occurred_at, envelope.event_id)
        feed.publish(tenant_id, change)

    return dict.fromkeys(STATUS_BY_EVENT, publish)


# --8<-- [end:status-changes]
