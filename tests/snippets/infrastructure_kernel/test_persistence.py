"""The kernel's tracked repository and unit of work, on an aggregate of no context.

A counter in a table of its own, on a SQLite file: what the kernel promises every
context, checked without any context's code. The contexts' suites check it again on
their own aggregates, on SQLite and PostgreSQL.
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Update, event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from infrastructure_kernel.database.connection_unit_of_work import ConnectionUnitOfWork
from infrastructure_kernel.database.tracked_repository import TrackedRepository
from shared_kernel.aggregate import AggregateRoot
from shared_kernel.events import DomainEvent
from shared_kernel.repository import ConcurrencyConflictError

pytestmark = pytest.mark.anyio

metadata = MetaData()
counters = Table(
    "counters",
    metadata,
    Column("counter_id", Integer, primary_key=True),
    Column("value", Integer, nullable=False),
    Column("version", Integer, nullable=False),
)


@dataclass(frozen=True, kw_only=True)
class Bumped(DomainEvent):
    counter_id: int
    value: int


class Counter(AggregateRoot[int]):
    def __init__(self, counter_id: int, *, value: int = 0, version: int = 0) -> None:
        super().__init__(counter_id, version=version)
        self.value = value

    def bump(self) -> None:
        self.value += 1
        self.record_event(Bumped(counter_id=self.id, value=self.value))


class CounterRepository(TrackedRepository[Counter]):
    aggregate_name = "counter"

    async def get(self, counter_id: int) -> Counter | None:
        found = await self._connection.execute(
            select(counters).where(counters.c.counter_id == counter_id)
        )
        row = found.mappings().one_or_none()
        if row is None:
            return None
        return self._track(Counter(counter_id, value=row["value"], version=row["version"]))

    async def add(self, counter: Counter) -> None:
        self._track(counter)

    async def _insert(self, aggregate: Counter) -> None:
        row = {"counter_id": aggregate.id, "value": aggregate.value, "version": 1}
        await self._connection.execute(insert(counters).values(row))

    def _update(self, aggregate: Counter) -> Update:
        return (
            update(counters)
            .where(counters.c.counter_id == aggregate.id)
            .values(value=aggregate.value)
        )


class CounterUnitOfWork(ConnectionUnitOfWork):
    """Records what its commit did, in order, in ``log``; the outbox is ``published``."""

    def __init__(self, engine: AsyncEngine, log: list[str]) -> None:
        super().__init__(engine)
        self.log = log
        self.published: list[DomainEvent] = []

    def _open(self, connection: AsyncConnection) -> Sequence[CounterRepository]:
        self.counters = CounterRepository(connection)
        return [self.counters]

    async def _store_extras(self) -> None:
        self.log.append("extras")

    async def _write_events(self, connection: AsyncConnection, events: list[DomainEvent]) -> None:
        where = "in the transaction" if connection.in_transaction() else "outside it"
        self.log.append(f"{len(events)} events {where}")
        self.published.extend(events)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'counters.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


def recording(engine: AsyncEngine, log: list[str]) -> None:
    def record(*args: Any) -> None:
        log.append(args[2].split()[0])  # the statement's verb

    event.listen(engine.sync_engine, "before_cursor_execute", record)


async def stored(engine: AsyncEngine) -> list[tuple[int, int, int]]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(counters).order_by(counters.c.counter_id))
        return [(row.counter_id, row.value, row.version) for row in rows]


async def store_new(engine: AsyncEngine, counter_id: int) -> None:
    async with CounterUnitOfWork(engine, []) as uow:
        counter = Counter(counter_id)
        counter.bump()
        await uow.counters.add(counter)
        await uow.commit()


async def test_a_commit_stores_changes_then_extras_then_events_in_one_transaction(
    engine: AsyncEngine,
) -> None:
    log: list[str] = []
    recording(engine, log)
    async with CounterUnitOfWork(engine, log) as uow:
        counter = Counter(1)
        counter.bump()
        await uow.counters.add(counter)
        await uow.commit()

    assert log == ["INSERT", "extras", "1 events in the transaction"]
    assert [type(e) for e in uow.published] == [Bumped]
    assert counter.version == 1
    assert await stored(engine) == [(1, 1, 1)]


async def test_a_loaded_and_changed_aggregate_moves_to_the_next_version(
    engine: AsyncEngine,
) -> None:
    await store_new(engine, 1)

    async with CounterUnitOfWork(engine, []) as uow:
        loaded = await uow.counters.get(1)
        assert loaded is not None
        loaded.bump()
        await uow.commit()

    assert loaded.version == 2
    assert await stored(engine) == [(1, 2, 2)]


async def test_an_aggregate_that_recorded_nothing_is_not_written(engine: AsyncEngine) -> None:
    await store_new(engine, 1)
    log: list[str] = []
    recording(engine, log)

    async with CounterUnitOfWork(engine, log) as uow:
        assert await uow.counters.get(1) is not None
        assert await uow.counters.get(2) is None
        await uow.commit()

    assert log == ["SELECT", "SELECT", "extras", "0 events in the transaction"]
    assert uow.published == []


async def test_one_object_per_id_so_a_change_made_and_let_go_is_stored(
    engine: AsyncEngine,
) -> None:
    await store_new(engine, 1)

    async with CounterUnitOfWork(engine, []) as uow:
        first = await uow.counters.get(1)
        assert first is not None
        first.bump()
        del first  # the repository still holds it until the commit
        await uow.commit()

    assert [getattr(e, "value", None) for e in uow.published] == [2]
    assert await stored(engine) == [(1, 2, 2)]


async def test_a_lost_race_is_refused_and_stores_nothing(engine: AsyncEngine) -> None:
    await store_new(engine, 1)
    log: list[str] = []

    async with CounterUnitOfWork(engine, []) as winner, CounterUnitOfWork(engine, log) as loser:
        mine, theirs = await winner.counters.get(1), await loser.counters.get(1)
        assert mine is not None
        assert theirs is not None
        mine.bump()
        await winner.commit()
        theirs.bump()
        with pytest.raises(
            ConcurrencyConflictError, match=r"^counter 1 was changed by someone else"
        ):
            await loser.commit()

    assert log == []  # neither extras nor events of the losing commit
    assert loser.published == []
    assert await stored(engine) == [(1, 2, 2)]


async def test_leaving_without_a_commit_rolls_back_and_returns_the_connection(
    engine: AsyncEngine,
) -> None:
    async def fail_after_a_commit() -> None:
        async with CounterUnitOfWork(engine, []) as uow:
            counter = Counter(1)
            counter.bump()
            await uow.counters.add(counter)
            await uow.commit()
            counter.bump()
            await uow.rollback()  # nothing left to discard: the commit ended it
            raise RuntimeError("the use case failed")

    with pytest.raises(RuntimeError, match="the use case failed"):
        await fail_after_a_commit()

    assert await stored(engine) == [(1, 1, 1)]
    async with CounterUnitOfWork(engine, []) as uow:
        changed = await uow.counters.get(1)
        assert changed is not None
        changed.bump()
        # leaves without committing

    assert await stored(engine) == [(1, 1, 1)]
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
