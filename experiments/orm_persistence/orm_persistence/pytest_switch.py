"""``pytest -p orm_persistence.pytest_switch``: the shop's own suites, on the ORM."""

import pytest

from orm_persistence import bootstrap
from orm_persistence.catalog_persistence import OrmCatalogUnitOfWork
from orm_persistence.kernel import SessionUnitOfWork
from switching import switch_to

SWITCH = switch_to(
    name="SQLAlchemy ORM (orm_persistence), units of work on AsyncSession",
    services=bootstrap.OrmServices,
    bootstrap=bootstrap.bootstrap,
    catalog_unit_of_work=OrmCatalogUnitOfWork,
    counted=SessionUnitOfWork,
)


def pytest_configure(config: pytest.Config) -> None:
    """Report and check the switched run."""
    config.pluginmanager.register(SWITCH, "persistence-switch")
