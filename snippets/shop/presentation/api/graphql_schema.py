"""The GraphQL schema of the shop's reads: products and orders, over the query ports.

Each type is built from the view the REST API returns, and each resolver calls the same
query object as the REST endpoint, so both APIs answer from one read model. A nested
field that would cost a statement per parent (the current product of each order line)
goes through a DataLoader, which batches the keys of one request into one ``get_many``.
"""

from datetime import datetime
from decimal import Decimal
from typing import Self
from uuid import UUID

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from catalog.application.dto.product_commands import ListProducts
from catalog.application.dto.product_views import ProductPage, ProductView
from catalog.application.interfaces.product_queries import ProductQueries
from catalog.application.use_cases.read_products import read_products
from catalog.presentation.api.flags import HIDE_DISCONTINUED
from infrastructure_kernel.http.flags import TenantFlags
from ordering.application.dto.order_commands import ListOrders
from ordering.application.dto.order_views import MoneyView, OrderDetails, OrderLineView, OrderPage
from ordering.application.interfaces.order_queries import OrderQueries
from ordering.application.use_cases.read_orders import read_orders
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.authorization import Actor


# --8<-- [start:context]
class ReadContext(BaseContext):
    """What the resolvers of one request use: the tenant's query objects, flags and loaders.

    Each query object is handed out through the application's check of the actor's
    permission when a resolver asks for it: a customer's ``orders`` lists the orders they
    placed, and a field the actor may not read is refused with a ``forbidden`` error.
    """

    def __init__(
        self,
        product_queries: ProductQueries,
        order_queries: OrderQueries,
        actor: Actor,
        flags: TenantFlags,
    ) -> None:
        super().__init__()
        self._product_queries = product_queries
        self._order_queries = order_queries
        self._actor = actor
        self.flags = flags  # the same flags, for the same tenant, as the REST endpoints'
        # Per request: a DataLoader caches what it loaded, and a cache that outlived the
        # request would serve one tenant's products after a change, or to another tenant.
        self.products = DataLoader[UUID, ProductView | None](load_fn=self._load_products)

    async def product_queries(self) -> ProductQueries:
        """The tenant's product queries, if the actor may read the catalog."""
        return await read_products(self._product_queries, actor=self._actor)

    async def order_queries(self) -> OrderQueries:
        """The tenant's order queries, if the actor may read the orders."""
        return await read_orders(self._order_queries, actor=self._actor)

    async def _load_products(self, product_ids: list[UUID]) -> list[ProductView | None]:
        found = {
            view.id: view for view in await (await self.product_queries()).get_many(product_ids)
        }
        return [found.get(product_id) for product_id in product_ids]


# --8<-- [end:context]

Info = strawberry.Info[ReadContext, None]


# --8<-- [start:types]
@strawberry.type
class Money:
    """An amount of money; the amount is a decimal string, e.g. ``"12.50"``."""

    amount: Decimal
    currency: str

    @classmethod
    def from_view(cls, view: MoneyView) -> Self:
        """Copy a view's money."""
        return cls(amount=view.amount, currency=view.currency)


@strawberry.type
class Product:
    """A product of the tenant's catalog."""

    id: UUID
    sku: str
    name: str
    price: Money
    active: bool

    @classmethod
    def from_view(cls, view: ProductView) -> Self:
        """Copy the REST API's view."""
        return cls(
            id=view.id,
            sku=view.sku,
            name=view.name,
            price=Money(amount=view.price.amount, currency=view.price.currency),
            active=view.active,
        )


@strawberry.type
class OrderLine:
    """A line of an order, with the product as it was when the order was placed."""

    product_id: UUID
    sku: str
    name: str
    unit_price: Money
    quantity: int
    line_total: Money

    @strawberry.field
    async def product(self, info: Info) -> Product | None:
        """The product as the catalog has it now; null if it is gone.

        Loaded through the request's DataLoader: one statement for every line asked.
        """
        view = await info.context.products.load(self.product_id)
        return None if view is None else Product.from_view(view)

    @classmethod
    def from_view(cls, view: OrderLineView) -> Self:
        """Copy the REST API's view."""
        return cls(
            product_id=view.product_id,
            sku=view.sku,
            name=view.name,
            unit_price=Money.from_view(view.unit_price),
            quantity=view.quantity,
            line_total=Money.from_view(view.line_total),
        )


Status = strawberry.enum(OrderStatus, name="OrderStatus")


@strawberry.type
class Order:
    """An order with its lines and total."""

    id: UUID
    status: Status  # type: ignore[valid-type]
    placed_at: datetime
    lines: list[OrderLine]
    total: Money

    @classmethod
    def from_view(cls, view: OrderDetails) -> Self:
        """Copy the REST API's view; the lines came with the order, in the same page."""
        return cls(
            id=view.id,
            status=view.status,
            placed_at=view.placed_at,
            lines=[OrderLine.from_view(line) for line in view.lines],
            total=Money.from_view(view.total),
        )


@strawberry.type
class ProductList:
    """A page of products in SKU order; pass ``nextCursor`` as ``after`` for the next."""

    items: list[Product]
    next_cursor: str | None

    @classmethod
    def from_page(cls, page: ProductPage) -> Self:
        """Copy the REST API's page."""
        return cls(items=[Product.from_view(v) for v in page.items], next_cursor=page.next_cursor)


@strawberry.type
class OrderList:
    """A page of orders, newest first; pass ``nextCursor`` as ``after`` for the next."""

    items: list[Order]
    next_cursor: str | None

    @classmethod
    def from_page(cls, page: OrderPage) -> Self:
        """Copy the REST API's page."""
        return cls(items=[Order.from_view(v) for v in page.items], next_cursor=page.next_cursor)


# --8<-- [end:types]


# --8<-- [start:query]
@strawberry.type
class Query:
    """The tenant's products and orders; the tenant is the request's ``X-Tenant-ID``."""

    @strawberry.field
    async def products(
        self, info: Info, after: str | None = None, limit: int = ListProducts().limit
    ) -> ProductList:
        """A page of products; the arguments are the REST list's, checked by its model.

        Where the ``hide-discontinued`` flag is on for the tenant, the page leaves out
        discontinued products, as the REST list does.
        """
        page = ListProducts(after=after, limit=limit)
        hide = await info.context.flags.is_on(HIDE_DISCONTINUED)
        return ProductList.from_page(
            await (await info.context.product_queries()).list_page(
                after=page.after, limit=page.limit, active_only=hide
            )
        )

    @strawberry.field
    async def product(self, info: Info, id: UUID) -> Product:  # noqa: A002 - GraphQL's name
        """One product, discontinued or not."""
        return Product.from_view(await (await info.context.product_queries()).get(id))

    @strawberry.field
    async def orders(
        self,
        info: Info,
        after: str | None = None,
        limit: int = ListOrders().limit,
        status: Status | None = None,  # type: ignore[valid-type]
    ) -> OrderList:
        """A page of orders with their lines; the arguments are the REST list's."""
        page = ListOrders(after=after, limit=limit, status=status)
        return OrderList.from_page(
            await (await info.context.order_queries()).list_page(
                after=page.after, limit=page.limit, status=page.status
            )
        )

    @strawberry.field
    async def order(self, info: Info, id: UUID) -> Order:  # noqa: A002 - GraphQL's name
        """One order with its lines and total."""
        return Order.from_view(await (await info.context.order_queries()).get(id))


# --8<-- [end:query]
