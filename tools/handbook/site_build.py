"""``python -m handbook.site_build ARGS``: ``mkdocs build ARGS``, printing only what is wrong.

MkDocs 1.6's ``--quiet`` raises the ``mkdocs`` logger to ERROR, so a warning is dropped
before strict mode's counter sees it: ``mkdocs build --strict --quiet`` passes with a
broken link and says nothing. Without ``--quiet``, every build prints its INFO lines.
Here the logger keeps its level, so strict mode counts every warning, and only the
handler that prints is raised to WARNING: a clean build prints nothing, a failed one
the warnings that failed it.
"""

import logging
import sys

from mkdocs.__main__ import State, cli


def main(argv: list[str] | None = None) -> None:
    """Run ``mkdocs build`` with ``argv`` (default: this process's arguments), then exit."""
    state = State()  # type: ignore[no-untyped-call]  # mkdocs is untyped here
    state.stream.setLevel(logging.WARNING)
    arguments = sys.argv[1:] if argv is None else argv
    cli.main(["build", *arguments], prog_name="mkdocs", obj=state)


if __name__ == "__main__":
    main()
