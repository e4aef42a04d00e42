"""The service's schema: the migrations in ``migrations/`` beside this module.

``app db upgrade`` runs ``await MIGRATIONS.upgrade(engine)``, and so does every test
that needs a database, so each of them proves the migrations too.
"""

from pathlib import Path

from infrastructure_kernel.database.migrations import Migrations

# --8<-- [start:upgrade-schema]
MIGRATIONS = Migrations(Path(__file__).with_name("migrations"))
# --8<-- [end:upgrade-schema]
