"""What the terminal shows of a build under ``nox -s serve``: what matters, said once.

* MkDocs warns on every dirty rebuild that the navigation may be inaccurate. The
  handbook keeps it accurate (ADR 18) except for pages added or renamed, so
  :func:`say_rebuilds_are_incremental` drops that warning and says the exception once.
* A listing that waits for the background test run logs a warning, so that a strict
  build fails on it. While serving, a hundred of them would bury what the terminal
  says about the run; :func:`count_awaiting_proof` counts them instead, from the start
  of a build, and :func:`say_how_many_await_proof` says the count at its end.
"""

from __future__ import annotations

import logging

from handbook.listing import AWAITING_PROOF

BUILD_LOG = logging.getLogger("mkdocs.commands.build")
LISTING_LOG = logging.getLogger("mkdocs.handbook")
log = logging.getLogger("mkdocs.plugins.handbook")


class _DirtyBuildNotice(logging.Filter):
    """Drops MkDocs' warning about a dirty build."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but that warning."""
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class _AwaitingProof(logging.Filter):
    """Counts and drops the warnings of listings that only wait for a test run."""

    def __init__(self) -> None:
        """Nothing counted yet."""
        super().__init__()
        self.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but those of a listing waiting for its proof."""
        if getattr(record, AWAITING_PROOF, False):
            self.count += 1
            return False
        return True


DIRTY_BUILD_NOTICE = _DirtyBuildNotice()
AWAITING = _AwaitingProof()


def say_rebuilds_are_incremental(*, incremental: bool) -> None:
    """Under incremental rebuilds, say once what MkDocs would warn about on each.

    Without them (a whole build), MkDocs' own warning is back: the filter is removed, as
    MkDocs keeps one plugin instance across the builds of one process.
    """
    BUILD_LOG.removeFilter(DIRTY_BUILD_NOTICE)
    if incremental:
        BUILD_LOG.addFilter(DIRTY_BUILD_NOTICE)
        log.info(
            "handbook: a rebuild renders only the pages an edit changed; "
            "restart after adding or renaming a page"
        )


def count_awaiting_proof() -> None:
    """Count, not print, the warnings of listings waiting for their proof, until told.

    :func:`say_how_many_await_proof` ends the count. Only while serving, never in a strict
    build: a dropped warning would not fail it.
    """
    AWAITING.count = 0
    LISTING_LOG.addFilter(AWAITING)


def say_how_many_await_proof() -> None:
    """Stop counting, and say how many listings of this build wait for their proof, if any."""
    LISTING_LOG.removeFilter(AWAITING)
    if AWAITING.count:
        log.info(
            "handbook: %d listing(s) on the rebuilt pages wait for their proof", AWAITING.count
        )
    AWAITING.count = 0
