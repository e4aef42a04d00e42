"""The statement counts and the SQL the persistence page states, measured on the shop.

The page says how many statements a page of orders costs, how many the same page would
cost if its lines were read order by order, what the catalog's reads cost, and which
``UPDATE`` a change to an order sends. Each figure is measured here on the shop's own
code, on SQLite, and the page must state it in the words it uses; when the code or the
page changes so that they disagree, this test fails, and with it ``nox -s docs``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import uuid4

import pytest
from pydantic import SecretStr
from sqlalchemy import Row, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from catalog.infrastructure.database.product_queries import SqlAlchemyProductQueries
from handbook.paths import repository_root
from ordering.application.dto.order_commands import MAX_PAGE_SIZE, PayOrder, PlaceOrder
from ordering.application.dto.order_views import OrderDetails
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.place_order import place_order
from ordering.infrastructure.database.order_queries import SqlAlchemyOrderQueries
from shared_kernel.authorization import OPERATOR
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.infrastructure.database.schema import MIGRATIONS
from shop.presentation.cli.seed import seed
from shop.settings import Settings

PERSISTENCE = "docs/layers/persistence.md"
TESTING = "docs/practices/testing.md"
ACME = TenantId("acme")
PAGE_SIZE = MAX_PAGE_SIZE
WORDS = {0: "none at all", 1: "one", 2: "two", 3: "three"}
"""How the pages write small counts; a larger count is written in digits."""
T = TypeVar("T")


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
async def services(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    """The shop on a fresh SQLite file, migrated and seeded, with 101 orders for acme.

    One for the module: the tests only count and read, but for one payment.
    """
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('shop') / 'shop.db'}"
    services = bootstrap(Settings(_env_file=None, database_url=SecretStr(url)))
    await MIGRATIONS.upgrade(services.engine)
    await seed(services)
    products = await services.product_queries(ACME).list_page(after=None, limit=2)
    lines = [{"product_id": product.id, "quantity": 1} for product in products.items]
    existing = await services.order_queries(ACME).list_page(after=None, limit=PAGE_SIZE + 1)
    for _ in range(PAGE_SIZE + 1 - len(existing.items)):
        await place_order(
            PlaceOrder.model_validate({"lines": lines}),
            services.ordering_unit_of_work(ACME),
            services.clock,
            None,
            actor=OPERATOR,
        )
    yield services
    await services.engine.dispose()


@contextmanager
def recorded(engine: AsyncEngine) -> Iterator[list[str]]:
    """Every statement ``engine`` sends while the block runs."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])  # (connection, cursor, statement, parameters, ...)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def count(engine: AsyncEngine, work: Callable[[], Awaitable[T]]) -> int:
    with recorded(engine) as statements:
        await work()
    return len(statements)


def words(number: int) -> str:
    return WORDS.get(number, str(number))


def page(relative: str) -> str:
    return " ".join((repository_root() / relative).read_text(encoding="utf-8").split())


def assert_states(relative: str, sentence: str) -> None:
    """The page says ``sentence``, whitespace aside, as the run that just happened measured."""
    assert sentence in page(relative), f"{relative} should say, as measured: {sentence!r}"


@pytest.mark.anyio
async def test_the_order_list_costs_what_the_pages_say(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = services.order_queries(ACME)
    assert isinstance(queries, SqlAlchemyOrderQueries)

    batched = await count(services.engine, lambda: queries.list_page(after=None, limit=PAGE_SIZE))
    small = await count(services.engine, lambda: queries.list_page(after=None, limit=10))

    # The same page, its lines read order by order: the loop the page warns against.
    read_lines = SqlAlchemyOrderQueries._with_lines

    async def one_by_one(
        self: SqlAlchemyOrderQueries, connection: AsyncConnection, rows: Sequence[Row[Any]]
    ) -> list[OrderDetails]:
        return [view for row in rows for view in await read_lines(self, connection, [row])]

    monkeypatch.setattr(SqlAlchemyOrderQueries, "_with_lines", one_by_one)
    looped = await count(services.engine, lambda: queries.list_page(after=None, limit=PAGE_SIZE))

    assert small == batched
    assert_states(PERSISTENCE, f"A page of {PAGE_SIZE} orders then costs {looped} statements")
    assert_states(
        PERSISTENCE, f"The order list takes {words(batched)} statements whatever the page size"
    )
    assert_states(PERSISTENCE, f"this test fails with {looped} statements instead of {batched}")
    assert_states(
        TESTING, f"a page of {PAGE_SIZE} orders with their lines takes {words(batched)} statements"
    )


@pytest.mark.anyio
async def test_the_catalogs_reads_cost_what_the_page_says(services: Services) -> None:
    # The adapter's own cost: the services read through the cache, which would hide it.
    queries = SqlAlchemyProductQueries(services.engine, ACME)
    ids = [product.id for product in (await queries.list_page(after=None, limit=100)).items]

    per_page = await count(services.engine, lambda: queries.list_page(after=None, limit=2))
    by_id = await count(services.engine, lambda: queries.get_many([*ids, uuid4()]))
    empty = await count(services.engine, lambda: queries.get_many([]))

    async def forged() -> None:
        with pytest.raises(InvalidValueError, match="cursor"):
            await queries.list_page(after="not-a-cursor", limit=2)

    refused = await count(services.engine, forged)

    lookups = (
        f"{words(empty)} for an empty lookup or a forged cursor"
        if empty == refused
        else f"{words(empty)} for an empty lookup and {words(refused)} for a forged cursor"
    )
    assert_states(
        PERSISTENCE,
        f"{words(per_page)} statement per page, {words(by_id)} for any number of products "
        f"looked up by id, and {lookups}",
    )


@pytest.mark.anyio
async def test_the_optimistic_update_is_the_one_the_repository_sends(services: Services) -> None:
    [placed] = (await services.order_queries(ACME).list_page(after=None, limit=1)).items

    with recorded(services.engine) as statements:
        await pay_order(
            PayOrder(order_id=placed.id), services.ordering_unit_of_work(ACME), actor=OPERATOR
        )

    [update] = [statement for statement in statements if statement.startswith("UPDATE orders")]
    assert_states(PERSISTENCE, f"`{update}`")
