"""In-memory fakes of the catalog's and ordering's ports, so use cases run without I/O.

The fakes keep the promises of the real adapters that the application relies on, so a
test that passes here states what the SQLAlchemy adapters must do too:

* one committed store shared by every unit of work, like one database; changes become
  visible to others only on commit, and a failed commit stores nothing;
* every unit of work, repository and query object serves the one tenant it was made
  for; rows are keyed by tenant, so another tenant's rows are simply not there;
* optimistic concurrency: a commit refuses to overwrite a newer stored version, and a
  second insert of a SKU or an idempotency key fails as a unique constraint would;
* queries return views built from the committed state and page with the real cursors.
"""

import copy
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

import pytest

from catalog.application.dto.product_views import ProductCursor, ProductPage, ProductView
from catalog.application.interfaces.product_queries import ProductQueriesFactory
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWorkFactory
from catalog.domain.entities.product import Product
from catalog.domain.errors import ProductNotFoundError, SkuAlreadyExistsError
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.sku import Sku
from infrastructure_kernel.pagination import decode_cursor, encode_cursor
from ordering.application.dto.order_views import OrderCursor, OrderDetails, OrderPage
from ordering.application.interfaces.idempotency_store import IdempotencyKey, StoredResult
from ordering.application.interfaces.order_queries import OrderQueriesFactory
from ordering.application.interfaces.product_catalog import (
    ProductCatalog,
    ProductCatalogFactory,
    ProductSnapshot,
)
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWorkFactory
from ordering.domain.entities.order import Order
from ordering.domain.errors import OrderNotFoundError
from ordering.domain.value_objects.order_id import OrderId
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.clock import FixedClock
from shared_kernel.events import DomainEvent
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

AggregateT = TypeVar("AggregateT", Product, Order)


@dataclass
class FakeDatabase:
    """The committed state of every tenant; tables are keyed by tenant first."""

    products: dict[tuple[TenantId, ProductId], Product] = field(default_factory=dict)
    orders: dict[tuple[TenantId, OrderId], Order] = field(default_factory=dict)
    idempotency_keys: dict[tuple[TenantId, IdempotencyKey], StoredResult] = field(
        default_factory=dict
    )
    outbox: list[DomainEvent] = field(default_factory=list)


class FakeRepository(Generic[AggregateT]):
    """Aggregates of one tenant; hands out copies, as a database hands out rows."""

    def __init__(self, table: dict[tuple[TenantId, Any], AggregateT], tenant_id: TenantId) -> None:
        self._table: dict[tuple[TenantId, Any], AggregateT] = table
        self._tenant_id = tenant_id
        self.seen: dict[object, AggregateT] = {}

    async def get(self, aggregate_id: object) -> AggregateT | None:
        stored = self._table.get((self._tenant_id, aggregate_id))
        return None if stored is None else self._load(stored)

    async def add(self, aggregate: AggregateT) -> None:
        assert aggregate.tenant_id == self._tenant_id, "an aggregate of another tenant"
        self.seen[aggregate.id] = aggregate

    def _load(self, stored: AggregateT) -> AggregateT:
        aggregate = copy.deepcopy(stored)
        self.seen[aggregate.id] = aggregate
        return aggregate

    def changes(self) -> list[tuple[AggregateT, list[DomainEvent]]]:
        """The aggregates to write with their events; raises before anything is written."""
        changed = [(a, events) for a in self.seen.values() if (events := a.pull_events())]
        for aggregate, _ in changed:
            stored = self._table.get((self._tenant_id, aggregate.id))
            if (0 if stored is None else stored.version) != aggregate.version:
                raise ConcurrencyConflictError(f"{aggregate!r} was changed by someone else")
            self.check_insert(aggregate, new=stored is None)
        return changed

    def check_insert(self, aggregate: AggregateT, *, new: bool) -> None:
        """Where a subclass checks its unique constraints."""

    def write(self, changed: list[tuple[AggregateT, list[DomainEvent]]]) -> None:
        for aggregate, _ in changed:
            aggregate.increment_version()
            self._table[self._tenant_id, aggregate.id] = copy.deepcopy(aggregate)


class FakeProductRepository(FakeRepository[Product]):
    async def get_by_sku(self, sku: Sku) -> Product | None:
        matches = [p for (t, _), p in self._table.items() if t == self._tenant_id and p.sku == sku]
        return self._load(matches[0]) if matches else None

    def check_insert(self, aggregate: Product, *, new: bool) -> None:
        # The unique constraint on (tenant_id, sku).
        taken = any(
            t == self._tenant_id and p.sku == aggregate.sku for (t, _), p in self._table.items()
        )
        if new and taken:
            raise SkuAlreadyExistsError(aggregate.sku.value)


class FakeIdempotencyStore:
    def __init__(
        self, table: dict[tuple[TenantId, IdempotencyKey], StoredResult], tenant_id: TenantId
    ) -> None:
        self._table = table
        self._tenant_id = tenant_id
        self.pending: dict[IdempotencyKey, StoredResult] = {}

    async def recall(self, key: IdempotencyKey) -> StoredResult | None:
        return self._table.get((self._tenant_id, key))

    async def remember(self, key: IdempotencyKey, request_fingerprint: str, order_id: UUID) -> None:
        self.pending[key] = StoredResult(request_fingerprint, order_id)

    def check(self) -> None:
        # The primary key (tenant_id, key): a concurrent request stored it first.
        if any((self._tenant_id, key) in self._table for key in self.pending):
            raise ConcurrencyConflictError("the idempotency key was used concurrently")

    def write(self) -> None:
        for key, result in self.pending.items():
            self._table[self._tenant_id, key] = result


class FakeUnitOfWork:
    """What both contexts' units of work share: a tenant, enter, exit, rollback."""

    def __init__(self, database: FakeDatabase, tenant_id: TenantId) -> None:
        self._database = database
        self._tenant_id = tenant_id

    @property
    def tenant_id(self) -> TenantId:
        return self._tenant_id

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.rollback()

    async def rollback(self) -> None:
        raise NotImplementedError


class FakeCatalogUnitOfWork(FakeUnitOfWork):
    def __init__(self, database: FakeDatabase, tenant_id: TenantId) -> None:
        super().__init__(database, tenant_id)
        self._products = FakeProductRepository(database.products, tenant_id)

    @property
    def products(self) -> FakeProductRepository:
        return self._products

    async def commit(self) -> None:
        changed = self._products.changes()
        self._products.write(changed)
        self._database.outbox.extend(event for _, events in changed for event in events)

    async def rollback(self) -> None:
        self._products.seen.clear()


class FakeOrderingUnitOfWork(FakeUnitOfWork):
    def __init__(
        self, database: FakeDatabase, tenant_id: TenantId, products: ProductCatalog
    ) -> None:
        super().__init__(database, tenant_id)
        self._orders = FakeRepository[Order](database.orders, tenant_id)
        self._keys = FakeIdempotencyStore(database.idempotency_keys, tenant_id)
        self._products = products

    @property
    def orders(self) -> FakeRepository[Order]:
        return self._orders

    @property
    def idempotency_keys(self) -> FakeIdempotencyStore:
        return self._keys

    @property
    def products(self) -> ProductCatalog:
        return self._products

    async def commit(self) -> None:
        changed = self._orders.changes()
        self._keys.check()
        self._orders.write(changed)
        self._keys.write()
        self._database.outbox.extend(event for _, events in changed for event in events)

    async def rollback(self) -> None:
        self._orders.seen.clear()
        self._keys.pending.clear()


class FakeProductQueries:
    def __init__(self, database: FakeDatabase, tenant_id: TenantId) -> None:
        self._database = database
        self._tenant_id = tenant_id

    def _rows(self) -> list[Product]:
        return [p for (t, _), p in self._database.products.items() if t == self._tenant_id]

    async def get(self, product_id: UUID) -> ProductView:
        for product in self._rows():
            if product.id.value == product_id:
                return ProductView.from_product(product)
        raise ProductNotFoundError(product_id)

    async def get_many(self, product_ids: Collection[UUID]) -> list[ProductView]:
        wanted = set(product_ids)
        return [ProductView.from_product(p) for p in self._rows() if p.id.value in wanted]

    async def list_page(
        self, *, after: str | None, limit: int, active_only: bool = False
    ) -> ProductPage:
        rows = sorted(self._rows(), key=lambda product: product.sku.value)
        if active_only:
            rows = [product for product in rows if product.active]
        if after is not None:
            start = decode_cursor(after, ProductCursor).sku
            rows = [product for product in rows if product.sku.value > start]
        page, more = rows[:limit], len(rows) > limit
        return ProductPage(
            items=[ProductView.from_product(product) for product in page],
            next_cursor=encode_cursor(ProductCursor(sku=page[-1].sku.value)) if more else None,
        )


class FakeOrderQueries:
    def __init__(
        self, database: FakeDatabase, tenant_id: TenantId, *, placed_by: str | None = None
    ) -> None:
        self._database = database
        self._tenant_id = tenant_id
        self._placed_by = placed_by

    def placed_by(self, subject: str) -> "FakeOrderQueries":
        return FakeOrderQueries(self._database, self._tenant_id, placed_by=subject)

    def _rows(self) -> list[Order]:
        return [
            order
            for (tenant_id, _), order in self._database.orders.items()
            if tenant_id == self._tenant_id
            and (self._placed_by is None or order.placed_by == self._placed_by)
        ]

    @staticmethod
    def _view(order: Order) -> OrderDetails:
        # What the SQL adapter does: build the view from the parts, not from the aggregate.
        return OrderDetails.from_parts(
            order_id=order.id.value,
            status=order.status,
            placed_at=order.placed_at,
            lines=order.lines,
        )

    async def get(self, order_id: UUID) -> OrderDetails:
        for order in self._rows():
            if order.id.value == order_id:
                return self._view(order)
        raise OrderNotFoundError(order_id)

    async def list_page(
        self, *, after: str | None, limit: int, status: OrderStatus | None = None
    ) -> OrderPage:
        def key(order: Order) -> tuple[datetime, UUID]:
            return order.placed_at, order.id.value

        rows = sorted(self._rows(), key=key, reverse=True)
        if status is not None:
            rows = [order for order in rows if order.status is status]
        if after is not None:
            start = decode_cursor(after, OrderCursor)
            rows = [order for order in rows if key(order) < (start.placed_at, start.order_id)]
        page, more = rows[:limit], len(rows) > limit
        return OrderPage(
            items=[self._view(order) for order in page],
            next_cursor=encode_cursor(
                OrderCursor(placed_at=page[-1].placed_at, order_id=page[-1].id.value)
            )
            if more
            else None,
        )


class FakeProductCatalog:
    def __init__(self, stock: Mapping[UUID, ProductSnapshot]) -> None:
        self._stock = stock

    async def snapshot(self, product_ids: Collection[UUID]) -> dict[UUID, ProductSnapshot]:
        return {pid: self._stock[pid] for pid in product_ids if pid in self._stock}


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def outbox(database: FakeDatabase) -> list[DomainEvent]:
    """The events of every committed change, in order, of every tenant."""
    return database.outbox


@pytest.fixture
def new_catalog_uow(database: FakeDatabase) -> CatalogUnitOfWorkFactory:
    return lambda tenant_id: FakeCatalogUnitOfWork(database, tenant_id)


@pytest.fixture
def product_queries(database: FakeDatabase) -> ProductQueriesFactory:
    return lambda tenant_id: FakeProductQueries(database, tenant_id)


@pytest.fixture
def new_ordering_uow(
    database: FakeDatabase, product_catalog: ProductCatalogFactory
) -> OrderingUnitOfWorkFactory:
    """Units of work whose catalog is the fake one, stocked by the tests."""
    return lambda tenant_id: FakeOrderingUnitOfWork(database, tenant_id, product_catalog(tenant_id))


@pytest.fixture
def order_queries(database: FakeDatabase) -> OrderQueriesFactory:
    return lambda tenant_id: FakeOrderQueries(database, tenant_id)


@pytest.fixture
def stock() -> dict[TenantId, dict[UUID, ProductSnapshot]]:
    """What the fake catalog knows, per tenant; tests put snapshots in."""
    return {}


@pytest.fixture
def product_catalog(stock: dict[TenantId, dict[UUID, ProductSnapshot]]) -> ProductCatalogFactory:
    return lambda tenant_id: FakeProductCatalog(stock.setdefault(tenant_id, {}))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 14, 9, 26, tzinfo=UTC))
