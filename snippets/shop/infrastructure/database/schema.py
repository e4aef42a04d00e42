"""The shop's one schema: the migrations in ``migrations/``, one history for every part.

``shop db upgrade`` runs ``await MIGRATIONS.upgrade(engine)``, and so does every test
that needs a database, so each of them proves the migrations too.
"""

from pathlib import Path

from infrastructure_kernel.database.migrations import Migrations

# --8<-- [start:migration-runner]
MIGRATIONS = Migrations(Path(__file__).with_name("migrations"))
# --8<-- [end:migration-runner]
