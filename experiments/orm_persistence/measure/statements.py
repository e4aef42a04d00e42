"""Statements, transactions, pool checkouts and round trips per use case, on PostgreSQL.

``python -m measure.statements --persistence core|orm|core_kernel`` (with ``DATABASE_URL`` set to a
PostgreSQL server) runs each use case of the shop's write side through its handler, with
the shop's own engine settings (pool pre-ping included), on a database of its own. Each
use case runs once to warm up (pool, statement caches) and once measured, on fresh
aggregates. SQLAlchemy's engine and pool events count statements, transactions and
checkouts; a TCP proxy (:mod:`measure.wire`) counts round trips on the wire.
"""

import argparse
import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import SecretStr
from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from catalog.application.commands import AddProduct, DiscontinueProduct, RepriceProduct
from catalog.application.handlers import add_product, discontinue_product, reprice_product
from measure.provenance import write
from measure.wire import WireCounter
from ordering.application.commands import CancelOrder, PayOrder, PlaceOrder, ShipOrder
from ordering.application.handlers import cancel_order, pay_order, ship_order
from ordering.application.place_order import place_order
from shared_kernel.clock import SystemClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.database.engine import create_engine
from shop.database.schema import upgrade_schema
from shop.settings import Settings
from shop.tenants import Tenant, TenantDirectory

ACME = TenantId("acme")
PRICE = {"amount": "12.50", "currency": "EUR"}


@dataclass
class Counts:
    """What one measured call sent."""

    statements: list[str] = field(default_factory=list)
    transactions: int = 0
    commits: int = 0
    rollbacks: int = 0
    checkouts: int = 0


def count_on(engine: AsyncEngine, counts: list[Counts]) -> None:
    """Add every event of ``engine`` to the last ``Counts`` of the list."""
    sync = engine.sync_engine

    @event.listens_for(sync, "before_cursor_execute")
    def statement(*args: Any) -> None:
        counts[-1].statements.append(" ".join(args[2].split())[:80])

    @event.listens_for(sync, "begin")
    def begin(*_: Any) -> None:
        counts[-1].transactions += 1

    @event.listens_for(sync, "commit")
    def commit(*_: Any) -> None:
        counts[-1].commits += 1

    @event.listens_for(sync, "rollback")
    def rollback(*_: Any) -> None:
        counts[-1].rollbacks += 1

    @event.listens_for(sync.pool, "checkout")
    def checkout(*_: Any) -> None:
        counts[-1].checkouts += 1


class UseCases:
    """The write side's use cases, each with the setup it needs outside the measurement."""

    def __init__(self, services: Services) -> None:
        """Run the use cases on ``services``; products are added as orders need them."""
        self.services = services
        self.products: list[UUID] = []

    async def _add(self) -> UUID:
        sku = f"P-{uuid4().hex[:12].upper()}"
        command = AddProduct.model_validate({"sku": sku, "name": f"Product {sku}", "price": PRICE})
        return (await add_product(command, self.services.catalog_unit_of_work(ACME))).id

    async def _place(self, lines: int, key: str | None = None) -> UUID:
        while len(self.products) < lines:
            self.products.append(await self._add())
        command = PlaceOrder.model_validate(
            {"lines": [{"product_id": p, "quantity": 1} for p in self.products[:lines]]}
        )
        services = self.services
        placed = await place_order(
            command,
            services.ordering_unit_of_work(ACME),
            services.product_catalog(ACME),
            services.clock,
            key,
        )
        return placed.order.id

    async def prepare(self, name: str) -> Callable[[], Awaitable[object]]:
        """Set up what use case ``name`` acts on; return the call to measure."""
        if name == "add product":
            return self._add
        if name in {"reprice", "discontinue"}:
            return await self._prepare_product_change(name)
        if name.startswith("place order"):
            lines = 10 if "10 lines" in name else 1
            key = str(uuid4()) if "Idempotency-Key" in name else None
            await self._place(1)  # the products exist before the measurement
            return lambda: self._place(lines, key)
        return await self._prepare_order_change(name)

    async def _prepare_product_change(self, name: str) -> Callable[[], Awaitable[object]]:
        catalog = self.services.catalog_unit_of_work
        product = await self._add()
        if name == "reprice":
            price = {"amount": "13.00", "currency": "EUR"}
            command = RepriceProduct.model_validate({"product_id": product, "price": price})
            return lambda: reprice_product(command, catalog(ACME))
        return lambda: discontinue_product(DiscontinueProduct(product_id=product), catalog(ACME))

    async def _prepare_order_change(self, name: str) -> Callable[[], Awaitable[object]]:
        ordering = self.services.ordering_unit_of_work
        order = await self._place(1)
        if name == "ship":
            await pay_order(PayOrder(order_id=order), ordering(ACME))
            return lambda: ship_order(ShipOrder(order_id=order), ordering(ACME))
        if name == "pay":
            return lambda: pay_order(PayOrder(order_id=order), ordering(ACME))
        return lambda: cancel_order(CancelOrder(order_id=order), ordering(ACME))


USE_CASES = (
    "add product",
    "reprice",
    "discontinue",
    "place order, 1 line",
    "place order, 10 lines",
    "place order, 1 line, with an Idempotency-Key",
    "pay",
    "ship",
    "cancel",
)


PERSISTENCES = ("core", "orm", "core_kernel")
"""The shop's Core persistence as it is, and the two variants of the experiment."""


def services_for(persistence: str, settings: Settings, engine: AsyncEngine) -> Services:
    """The shop's services, or a variant's (importing the ORM's maps the aggregates)."""
    services: type[Services] = Services
    if persistence == "orm":
        from orm_persistence.bootstrap import OrmServices  # noqa: PLC0415 - maps on import

        services = OrmServices
    elif persistence == "core_kernel":
        from core_kernel.bootstrap import KernelServices  # noqa: PLC0415 - as the ORM's

        services = KernelServices
    return services(settings=settings, engine=engine, clock=SystemClock())


@asynccontextmanager
async def fresh_database(
    server_url: str, *, port: int | None = None
) -> AsyncIterator[tuple[Settings, AsyncEngine]]:
    """A migrated database of its own, with the tenant; reached through ``port`` if given.

    The engine is the shop's own (``shop.database.engine.create_engine``), pool pre-ping
    and all; the database is dropped afterwards.
    """
    url = make_url(server_url)
    database = f"measure_{uuid4().hex[:12]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{database}"'))
    target = url.set(database=database)
    if port is not None:
        target = target.set(host="127.0.0.1", port=port)
    settings = Settings(
        _env_file=None, database_url=SecretStr(target.render_as_string(hide_password=False))
    )
    engine = create_engine(settings)
    try:
        await upgrade_schema(engine)
        await TenantDirectory(engine).add(Tenant(ACME, "Acme", datetime.now(UTC)))
        yield settings, engine
    finally:
        await engine.dispose()
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
        await admin.dispose()


async def measure(persistence: str, server_url: str) -> dict[str, Any]:
    """Count every use case on a fresh database behind the counting proxy."""
    url = make_url(server_url)
    wire = WireCounter(url.host or "127.0.0.1", url.port or 5432)
    try:
        async with fresh_database(server_url, port=await wire.start()) as (settings, engine):
            use_cases = UseCases(services_for(persistence, settings, engine))
            counts = [Counts()]
            count_on(engine, counts)
            figures: dict[str, Any] = {}
            for name in USE_CASES:
                for measured in (False, True):
                    call = await use_cases.prepare(name)
                    counts.append(Counts())
                    before = wire.round_trips
                    await call()
                    counts.append(Counts())  # what follows is not this call's
                    if measured:
                        figures[name] = {
                            "statements": len(counts[-2].statements),
                            "transactions": counts[-2].transactions,
                            "commits": counts[-2].commits,
                            "rollbacks": counts[-2].rollbacks,
                            "checkouts": counts[-2].checkouts,
                            "round_trips": wire.round_trips - before,
                            "sql": counts[-2].statements,
                        }
            return figures
    finally:
        await wire.stop()


def main() -> None:
    """Measure one persistence and write ``results/statements-PERSISTENCE.json``."""
    parser = argparse.ArgumentParser(prog="python -m measure.statements")
    parser.add_argument("--persistence", choices=PERSISTENCES, required=True)
    arguments = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        raise SystemExit("measure.statements: set DATABASE_URL=postgresql+asyncpg://...")
    figures = asyncio.run(measure(arguments.persistence, server_url))
    for name, counted in figures.items():
        print(
            f"{name:48} {counted['statements']:2} statements {counted['transactions']} tx "
            f"{counted['checkouts']} checkouts {counted['round_trips']:2} round trips"
        )
    print(write(f"statements-{arguments.persistence}", {"use_cases": figures}))


if __name__ == "__main__":
    main()
