"""Migration 0013, the expand step, as the SQL it sends to each database.

Alembic writes a migration's statements without a database in its offline mode, so the
PostgreSQL path is checked on every machine; the faults' runbook test runs it on a
PostgreSQL server under load.
"""

import io

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from shop.infrastructure.database.schema import MIGRATIONS


def emitted(dialect: str, step: str) -> str:
    """The SQL migration 0013's ``step`` (``upgrade`` or ``downgrade``) sends to ``dialect``."""
    scripts = ScriptDirectory(str(MIGRATIONS.script_location))
    module = scripts.get_revision("0013").module
    buffer = io.StringIO()
    context = MigrationContext.configure(
        dialect_name=dialect, opts={"as_sql": True, "output_buffer": buffer}
    )
    with Operations.context(context):
        getattr(module, step)()
    return " ".join(buffer.getvalue().split())


def test_on_postgresql_the_column_is_added_after_bounding_the_lock_wait() -> None:
    assert emitted("postgresql", "upgrade") == (
        "SET LOCAL lock_timeout = '2s'; ALTER TABLE orders ADD COLUMN placed_by VARCHAR(255);"
    )


def test_on_postgresql_the_downgrade_bounds_its_lock_wait_too() -> None:
    assert emitted("postgresql", "downgrade") == (
        "SET LOCAL lock_timeout = '2s'; ALTER TABLE orders DROP COLUMN placed_by;"
    )


def test_on_sqlite_which_has_no_lock_queue_nothing_is_set_first() -> None:
    assert emitted("sqlite", "upgrade") == "ALTER TABLE orders ADD COLUMN placed_by VARCHAR(255);"
