"""MkDocs' warning on every dirty rebuild, said once instead (``handbook.build_log``)."""

from __future__ import annotations

import logging

import pytest

from handbook.build_log import say_rebuilds_are_incremental

DIRTY = "A 'dirty' build is being performed, this will likely lead to inaccurate navigation"


def test_serving_incrementally_says_what_it_does_once_instead_of_mkdocs_warning_each_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    build_log = logging.getLogger("mkdocs.commands.build")

    with caplog.at_level(logging.INFO):
        say_rebuilds_are_incremental(incremental=True)
        build_log.warning(DIRTY)
        build_log.warning(DIRTY)
        say_rebuilds_are_incremental(incremental=False)
        build_log.warning(DIRTY)

    assert [record.getMessage()[:30] for record in caplog.records] == [
        "handbook: a rebuild renders on",
        DIRTY[:30],  # a whole build warns as MkDocs does
    ]
