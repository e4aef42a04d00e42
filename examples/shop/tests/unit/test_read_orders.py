"""Who reads which orders: staff read the tenant's, a customer the ones they placed.

On the fakes, whose queries keep the SQL adapter's promise: narrowed to a placer, an
order someone else placed is as absent as one that does not exist.
"""

from collections.abc import Awaitable, Callable
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from identity.domain.value_objects.permissions import ROLE_PERMISSIONS
from identity.domain.value_objects.role import Role
from ordering.application.dto.order_commands import PlaceOrder
from ordering.application.interfaces.order_queries import OrderQueriesFactory
from ordering.application.interfaces.product_catalog import ProductSnapshot
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWorkFactory
from ordering.application.use_cases.place_order import place_order
from ordering.application.use_cases.read_orders import read_orders
from ordering.domain.errors import OrderNotFoundError
from shared_kernel.authorization import OPERATOR, Actor, Permission, PermissionDeniedError
from shared_kernel.clock import FixedClock
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId

pytestmark = pytest.mark.anyio

ACME = TenantId("acme")
ANN = Actor("ann", ROLE_PERMISSIONS[Role.CUSTOMER])
BOB = Actor("bob", ROLE_PERMISSIONS[Role.CUSTOMER])
CLERK = Actor("carla", ROLE_PERMISSIONS[Role.CLERK])

PlaceAs = Callable[[Actor], Awaitable[UUID]]
"""Places an order of one mug in acme as the actor given, and returns its id."""


@pytest.fixture
def place(
    stock: dict[TenantId, dict[UUID, ProductSnapshot]],
    new_ordering_uow: OrderingUnitOfWorkFactory,
    clock: FixedClock,
) -> PlaceAs:
    product_id = uuid4()
    stock[ACME] = {
        product_id: ProductSnapshot("MUG-001", "Mug", Money(Decimal(12), "EUR"), available=True)
    }
    command = PlaceOrder.model_validate({"lines": [{"product_id": product_id, "quantity": 1}]})

    async def place_as(actor: Actor) -> UUID:
        placed = await place_order(command, new_ordering_uow(ACME), clock, actor=actor)
        return placed.order.id

    return place_as


async def test_a_customer_reads_the_orders_they_placed_and_no_others(
    place: PlaceAs, order_queries: OrderQueriesFactory
) -> None:
    anns, bobs = await place(ANN), await place(BOB)

    as_ann = await read_orders(order_queries(ACME), actor=ANN)
    as_clerk = await read_orders(order_queries(ACME), actor=CLERK)

    assert [order.id for order in (await as_ann.list_page(after=None, limit=10)).items] == [anns]
    assert (await as_ann.get(anns)).id == anns
    with pytest.raises(OrderNotFoundError):  # as absent as an order that does not exist
        await as_ann.get(bobs)
    staff_sees = {order.id for order in (await as_clerk.list_page(after=None, limit=10)).items}
    assert staff_sees == {anns, bobs}


async def test_an_order_whose_placer_is_unknown_is_read_by_staff_only(
    place: PlaceAs, order_queries: OrderQueriesFactory
) -> None:
    # The command line places as the operator, and orders placed before migration 0013
    # have no placer at all: no customer is their placer.
    by_operator = await place(OPERATOR)

    as_ann = await read_orders(order_queries(ACME), actor=ANN)
    as_operator = await read_orders(order_queries(ACME), actor=OPERATOR)

    assert (await as_ann.list_page(after=None, limit=10)).items == []
    assert (await as_operator.get(by_operator)).id == by_operator


async def test_an_actor_who_may_read_no_orders_is_refused_before_anything_is_read(
    order_queries: OrderQueriesFactory,
) -> None:
    browsing = Actor("guest", frozenset({Permission.CATALOG_READ}))

    with pytest.raises(PermissionDeniedError, match="does not allow orders:read-own"):
        await read_orders(order_queries(ACME), actor=browsing)
