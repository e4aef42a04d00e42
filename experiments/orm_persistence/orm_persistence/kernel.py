"""What every context's ORM persistence shares: the registry, money, the session's unit of work.

Were the ORM the house style, this module would be the infrastructure kernel's
persistence part, and each context would keep only its mapping and its repository.
"""

from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Column
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.orm import Composite, composite, registry
from sqlalchemy.orm.exc import StaleDataError

from shared_kernel.aggregate import AggregateRoot
from shared_kernel.events import DomainEvent
from shared_kernel.money import Money
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

mapper_registry = registry()
"""The one registry every context maps its aggregates into."""

EventWriter = Callable[[AsyncConnection, TenantId, Sequence[DomainEvent]], Awaitable[None]]
"""The platform's outbox writer, as the Core units of work receive it."""


def _money_columns(money: Money) -> tuple[int, str]:
    return money.minor_units, money.currency


def money(minor_units: Column[Any], currency: Column[Any]) -> Composite[Money]:
    """Map two columns, whole minor units and a currency code, onto one ``Money`` attribute.

    ``composite`` takes a value apart with the class's ``__composite_values__`` unless the
    class is a dataclass whose fields are the columns; Money's fields are an amount and a
    currency, so the method is attached here, in infrastructure, to keep the shared kernel
    free of persistence. It is the one attribute this experiment adds to a domain class.
    """
    Money.__composite_values__ = _money_columns  # type: ignore[attr-defined]
    return composite(Money.from_minor_units, minor_units, currency)


def no_events_yet(aggregate: AggregateRoot[Any], *_: object) -> None:
    """Give a loaded aggregate its empty list of events (a mapper ``load`` listener).

    The ORM rebuilds an object without calling ``__init__``, so what the constructor sets
    and no column holds must be set here, or ``record_event`` fails on the first change.
    """
    aggregate._events = []


class SessionUnitOfWork:
    """One tenant's business transaction on one ``AsyncSession``.

    The session is the identity map and the change tracker: repositories only ``add``
    and load through it. :meth:`commit` pulls the events of every aggregate the session
    holds, flushes (the mapper's ``version_id_col`` turns a lost race into
    ``StaleDataError``), writes the events to the outbox on the session's connection and
    commits.
    """

    aggregate_name = "aggregate"
    """What a conflict's message calls the aggregate, e.g. "order"."""

    _session: AsyncSession

    def __init__(self, engine: AsyncEngine, tenant_id: TenantId, write_events: EventWriter) -> None:
        """Prepare a unit of work for ``tenant_id``; the session begins on entry."""
        self._engine = engine
        self._tenant_id = tenant_id
        self._write_events = write_events

    @property
    def tenant_id(self) -> TenantId:
        """The tenant this unit of work was made for."""
        return self._tenant_id

    async def __aenter__(self) -> Self:
        """Open the session and begin its transaction on a pooled connection."""
        # expire_on_commit=False: handlers read the aggregate after commit, and an
        # expired attribute would need a lazy load, which async sessions refuse.
        # autoflush=False: writes happen in commit only, where their errors are translated.
        self._session = AsyncSession(self._engine, expire_on_commit=False, autoflush=False)
        await self._begin(await self._session.connection())
        return self

    async def _begin(self, connection: AsyncConnection) -> None:
        """Make the repositories; a subclass's hook."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the session, which rolls back whatever was not committed."""
        await self._session.close()

    async def commit(self) -> None:
        """Write the changed aggregates, the extras and the events, then commit.

        Raises:
            ConcurrencyConflictError: An aggregate was changed by someone else since it
                was loaded.
        """
        new = [aggregate for aggregate in self._session.new if isinstance(aggregate, AggregateRoot)]
        # The events now, before the flush: the identity map holds a changed object only
        # until it is flushed, and one that the handler did not keep is gone after it.
        events = [
            event
            for aggregate in (*new, *self._session.identity_map.values())
            if isinstance(aggregate, AggregateRoot)
            for event in aggregate.pull_events()
        ]
        # The ids now too: a failed flush expires what the session loaded, and reading an
        # expired attribute would need the transaction that just failed.
        changed = [o.id for o in self._session.dirty if isinstance(o, AggregateRoot)]
        try:
            await self._session.flush()
        except StaleDataError as error:
            raise ConcurrencyConflictError(self._conflict_message(changed)) from error
        except IntegrityError as error:
            translated = self._integrity_error(new)
            if translated is None:
                raise
            raise translated from error
        connection = await self._session.connection()
        await self._store_extras(connection)
        await self._write_events(connection, self._tenant_id, events)
        await self._session.commit()

    async def rollback(self) -> None:
        """Discard the changes not yet committed."""
        await self._session.rollback()

    async def _store_extras(self, connection: AsyncConnection) -> None:
        """Write what the unit of work holds besides aggregates; a subclass's hook."""

    def _conflict_message(self, changed: list[Any]) -> str:
        """Name what lost the race, by id; ``StaleDataError`` names the table, not the row."""
        ids = ", ".join(map(str, changed))
        return f"{self.aggregate_name} {ids} was changed by someone else; reload it and try again"

    def _integrity_error(self, new: list[AggregateRoot[Any]]) -> Exception | None:
        """The domain error a constraint that refused ``new`` means, or ``None`` to re-raise."""
        del new
        return None
