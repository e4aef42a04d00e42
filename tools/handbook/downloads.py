"""Downloads: every example as the standalone project ``nox -s export`` writes, zipped.

An example's page offers ``downloads/<name>.zip``. The archive is made at build time from
the same plan as the export (:func:`handbook.examples.export_zip`), so what a reader
downloads is what the export's own tests passed on; nothing is written into ``docs/``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from handbook.examples import export_zip


def example_downloads(root: Path, config: MkDocsConfig) -> list[File]:
    """A generated ``downloads/<name>.zip`` for each folder of ``examples/`` with a project."""
    examples = root / "examples"
    return [
        File.generated(
            config, f"downloads/{example.name}.zip", content=export_zip(root, example.name)
        )
        for example in (sorted(examples.iterdir()) if examples.is_dir() else [])
        if (example / "pyproject.toml").is_file()
    ]
