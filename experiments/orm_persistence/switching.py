"""Switching the shop's own test suites onto another persistence, for the experiment.

A variant's ``pytest_switch`` plugin calls :func:`switch_to` as ``-p`` imports it, before
any conftest is imported: it points the names the suites and the platform import
(``shop.bootstrap.Services`` and ``bootstrap``) at the variant's composition root, and
the catalog's unit-of-work class at the variant's, whose constructor takes the same
arguments (one API test subclasses it to stage a race). A run fails if one of the
shop's own Core units of work was entered anyway, or if its tests built the variant's
services and never entered one of its units of work: a switch that missed cannot pass.
"""

from collections.abc import Callable
from typing import Any

import pytest

import catalog.infrastructure.unit_of_work
import ordering.infrastructure.unit_of_work
import shop.bootstrap

CORE_UNITS_OF_WORK = (
    catalog.infrastructure.unit_of_work.SqlAlchemyCatalogUnitOfWork,
    ordering.infrastructure.unit_of_work.SqlAlchemyOrderingUnitOfWork,
)


class _Switch:
    """The hooks of one switched run: report, count and check."""

    def __init__(self, name: str, services: type[Any], unit_of_work: type[Any]) -> None:
        self.name = name
        self.entered: list[str] = []
        self.strays: list[str] = []
        self.composed = False
        self._count(unit_of_work, self.entered)
        for core in CORE_UNITS_OF_WORK:
            self._count(core, self.strays)
        made = services.__init__

        def noted_init(made_services: Any, *args: Any, **kwargs: Any) -> None:
            self.composed = True
            made(made_services, *args, **kwargs)

        services.__init__ = noted_init

    @staticmethod
    def _count(unit_of_work: type[Any], entries: list[str]) -> None:
        enter = unit_of_work.__aenter__

        async def counted_enter(uow: Any) -> Any:
            entries.append(type(uow).__name__)
            return await enter(uow)

        unit_of_work.__aenter__ = counted_enter

    def pytest_report_header(self) -> str:
        return f"persistence: {self.name}"

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        counts = {name: self.entered.count(name) for name in sorted(set(self.entered))}
        terminalreporter.write_line(f"{self.name}: units of work entered: {counts}")
        if self.strays:
            terminalreporter.write_line(f"Core units of work entered all the same: {self.strays}")

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        missed = self.strays or (self.composed and not self.entered)
        if exitstatus == 0 and missed:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def switch_to(
    *,
    name: str,
    services: type[shop.bootstrap.Services],
    bootstrap: Callable[..., shop.bootstrap.Services],
    catalog_unit_of_work: type[Any],
    counted: type[Any],
) -> object:
    """Run the suites on a variant; ``counted`` is the base of its units of work.

    Returns:
        The plugin that reports and checks the run; register it in ``pytest_configure``.
    """
    switch = _Switch(name, services, counted)
    shop.bootstrap.Services = services  # type: ignore[misc]
    shop.bootstrap.bootstrap = bootstrap
    catalog.infrastructure.unit_of_work.SqlAlchemyCatalogUnitOfWork = catalog_unit_of_work  # type: ignore[misc]
    return switch
