"""The query port on SQLAlchemy Core: rows straight into views."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import Executable, RowMapping, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.application.dto.customer_views import CustomerCursor, CustomerPage, CustomerView
from app.domain.errors import CustomerNotFoundError
from app.infrastructure.database.tables import customers
from infrastructure_kernel.pagination import decode_cursor, encode_cursor

# What a view shows; the version column is the repository's business.
VIEW_COLUMNS = (
    customers.c.id,
    customers.c.email,
    customers.c.name,
    customers.c.active,
    customers.c.registered_at,
)


# --8<-- [start:customer-queries]
class SqlAlchemyCustomerQueries:
    """Each read is one statement on a short connection of its own."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def get(self, customer_id: UUID, /) -> CustomerView:
        """One ``SELECT`` by primary key."""
        rows = await self._fetch(select(*VIEW_COLUMNS).where(customers.c.id == customer_id))
        if not rows:
            raise CustomerNotFoundError(customer_id)
        return CustomerView.model_validate(rows[0])

    # --8<-- [start:keyset-page]
    async def list_page(self, *, after: str | None, limit: int) -> CustomerPage:
        """One ``SELECT`` that seeks in the unique e-mail index, however deep the page."""
        statement = select(*VIEW_COLUMNS).order_by(customers.c.email).limit(limit + 1)
        if after is not None:
            email = decode_cursor(after, CustomerCursor).email
            statement = statement.where(customers.c.email > email)
        rows = await self._fetch(statement)
        # The one row more than a page tells whether another page follows.
        page, more = rows[:limit], len(rows) > limit
        return CustomerPage(
            items=[CustomerView.model_validate(row) for row in page],
            next_cursor=encode_cursor(CustomerCursor(email=page[-1]["email"])) if more else None,
        )

    # --8<-- [end:keyset-page]

    async def _fetch(self, statement: Executable) -> Sequence[RowMapping]:
        async with self._engine.connect() as connection:
            result = await connection.execute(statement)
            return result.mappings().all()


# --8<-- [end:customer-queries]
