"""What the terminal shows of a build under ``nox -s serve`` (``handbook.build_log``)."""

from __future__ import annotations

import logging

import pytest

from handbook.build_log import (
    count_awaiting_proof,
    say_how_many_await_proof,
    say_rebuilds_are_incremental,
)
from handbook.listing import AWAITING_PROOF

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


def test_while_serving_listings_waiting_for_their_proof_are_counted_not_printed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    listing_log = logging.getLogger("mkdocs.handbook")

    with caplog.at_level(logging.INFO):
        count_awaiting_proof()
        for _ in range(3):
            listing_log.warning("docs/a.md:3: no proof", extra={AWAITING_PROOF: True})
        listing_log.warning("docs/a.md:9: line 4 ran under no test", extra={AWAITING_PROOF: False})
        say_how_many_await_proof()
        count_awaiting_proof()
        say_how_many_await_proof()  # a build with none says nothing
        listing_log.warning("docs/a.md:3: no proof", extra={AWAITING_PROOF: True})  # not counting

    assert [record.getMessage() for record in caplog.records] == [
        "docs/a.md:9: line 4 ran under no test",
        "handbook: 3 listing(s) on the rebuilt pages wait for their proof",
        "docs/a.md:3: no proof",
    ]
