"""What the terminal shows of a build: MkDocs' notice on every dirty rebuild, said once.

MkDocs warns on every dirty rebuild that the navigation may be inaccurate. Under
``nox -s serve`` the handbook keeps it accurate (ADR 18) except for pages added or renamed,
so :func:`say_rebuilds_are_incremental` drops that warning and says the exception once.
"""

from __future__ import annotations

import logging

BUILD_LOG = logging.getLogger("mkdocs.commands.build")
log = logging.getLogger("mkdocs.plugins.handbook")


class _DirtyBuildNotice(logging.Filter):
    """Drops MkDocs' warning about a dirty build."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but that warning."""
        return not record.getMessage().startswith("A 'dirty' build is being performed")


DIRTY_BUILD_NOTICE = _DirtyBuildNotice()


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
