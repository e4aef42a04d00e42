"""Downloads: every example as the standalone project ``nox -s export`` writes.

An example's page offers ``downloads/<name>.zip`` and ``downloads/<name>.bundle``, the same
project as a git repository of one commit (``git clone <name>.bundle <name>``, ADR 92). Both
are made at build time from the same plan as the export (:func:`handbook.examples.export_zip`,
:func:`handbook.examples.export_bundle`), so what a reader downloads is what the export's own
tests passed on; nothing is written into ``docs/``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from handbook.examples import export_bundle, export_zip


def example_downloads(root: Path, config: MkDocsConfig) -> list[File]:
    """A generated zip and git bundle under ``downloads/`` for each example with a project."""
    examples = root / "examples"
    names = [
        example.name
        for example in (sorted(examples.iterdir()) if examples.is_dir() else [])
        if (example / "pyproject.toml").is_file()
    ]
    files = []
    for name in names:
        files.append(
            File.generated(config, f"downloads/{name}.zip", content=export_zip(root, name))
        )
        files.append(
            File.generated(config, f"downloads/{name}.bundle", content=export_bundle(root, name))
        )
    return files
