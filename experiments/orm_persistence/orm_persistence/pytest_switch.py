"""``pytest -p orm_persistence.pytest_switch``: the shop's own suites, on the ORM.

Loaded before any conftest, it points the names the suites and the platform import
(``shop.bootstrap.Services`` and ``bootstrap``) at the ORM's composition root, and the
catalog's unit-of-work class at the ORM's, whose constructor takes the same arguments
(one API test subclasses it to stage a race). A run whose tests built the shop's
services fails unless the ORM's units of work did the work, so a switch that silently
missed cannot pass.
"""

import pytest

import catalog.infrastructure.unit_of_work
import shop.bootstrap
from orm_persistence import bootstrap
from orm_persistence.catalog_persistence import OrmCatalogUnitOfWork
from orm_persistence.kernel import SessionUnitOfWork

shop.bootstrap.Services = bootstrap.OrmServices  # type: ignore[misc]
shop.bootstrap.bootstrap = bootstrap.bootstrap
catalog.infrastructure.unit_of_work.SqlAlchemyCatalogUnitOfWork = OrmCatalogUnitOfWork  # type: ignore[assignment,misc]

_entered: list[str] = []
_enter = SessionUnitOfWork.__aenter__


async def _counted_enter(self: SessionUnitOfWork) -> SessionUnitOfWork:
    _entered.append(type(self).__name__)
    return await _enter(self)


SessionUnitOfWork.__aenter__ = _counted_enter  # type: ignore[assignment,method-assign]


def pytest_report_header() -> str:
    """Say on which persistence the run works."""
    return "persistence: SQLAlchemy ORM (orm_persistence), units of work on AsyncSession"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show how many units of work of each kind the tests entered."""
    counts = {name: _entered.count(name) for name in sorted(set(_entered))}
    terminalreporter.write_line(f"ORM units of work entered: {counts}")


_composed: list[str] = []


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[object]) -> None:
    """Note the tests that build the shop's services, which must reach the ORM."""
    if fixturedef.argname == "services":
        _composed.append(fixturedef.argname)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail a run whose tests built services but never entered an ORM unit of work."""
    if exitstatus == 0 and _composed and not _entered:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
