"""MkDocs plugin: pages and downloads generated from the repository at build time.

* A *source page* for every file under the configured folders (``source/<path>/``): the
  whole file, markers stripped, with line anchors where the lines are the file's own. A
  listing's title links to it; the proof under a listing links each test's name to its
  line. The site thereby carries its own sources and works without a code host.
* A *download* for every example (``downloads/<name>.zip``): the standalone project that
  ``nox -s export`` writes, zipped.
* It tells :mod:`handbook.pages` which page is being rendered, so problems say where.

Nothing is written into ``docs/``: the files exist only in the build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from handbook.examples import IGNORED_PARTS, IGNORED_SUFFIXES, export_zip
from handbook.pages import current_page
from handbook.regions import MARKER_TOKEN, strip_markers
from handbook.render import LANGUAGES

TEXT_NAMES = {"Dockerfile": "dockerfile", "Makefile": "makefile", ".env.example": "bash"}


class HandbookPluginConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs is untyped here
    """Options under ``plugins: - handbook:`` in ``mkdocs.yml``."""

    sources = config_options.ListOfItems(config_options.Type(str), default=["snippets", "tests"])
    extra_sources = config_options.ListOfItems(config_options.Type(str), default=[])
    source_dir = config_options.Type(str, default="source")
    repo_blob_url = config_options.Type(str, default="")


class HandbookPlugin(BasePlugin[HandbookPluginConfig]):  # type: ignore[no-untyped-call]
    """Generates source pages and example downloads; names the page being rendered."""

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and downloads to the build."""
        root = _root(config)
        for relative in self._source_files(root):
            files.append(
                File.generated(
                    config,
                    f"{self.config.source_dir}/{relative}.md",
                    content=_source_page(relative, (root / relative).read_text(encoding="utf-8")),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        examples = root / "examples"
        for example in sorted(examples.iterdir()) if examples.is_dir() else []:
            if (example / "pyproject.toml").is_file():
                files.append(
                    File.generated(
                        config,
                        f"downloads/{example.name}.zip",
                        content=export_zip(root, example.name),
                    )
                )
        return files

    def _source_files(self, root: Path) -> list[str]:
        found = [root / extra for extra in self.config.extra_sources]
        missing = [extra for extra in self.config.extra_sources if not (root / extra).is_file()]
        if missing:
            raise PluginError(f"handbook: extra_sources not found: {', '.join(missing)}")
        for folder in self.config.sources:
            found += [
                path
                for path in (root / folder).rglob("*")
                if path.is_file()
                and not IGNORED_PARTS.intersection(path.relative_to(root).parts)
                and path.suffix not in IGNORED_SUFFIXES
                and _language(path.name) is not None
            ]
        return sorted({path.relative_to(root).as_posix() for path in found})

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Record the page about to be converted, for ``page:line`` messages."""
        del files
        docs_dir = Path(config.docs_dir).resolve()
        root = _root(config)
        source = page.file.src_uri
        if page.file.generated_by:
            current_page.set(source.removeprefix(f"{self.config.source_dir}/").removesuffix(".md"))
        else:
            current_page.set((docs_dir / source).relative_to(root).as_posix())
        return markdown

    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> Any:
        """Point "edit this page" of a source page at the real file."""
        del nav, config
        prefix = f"{self.config.source_dir}/"
        if page.file.generated_by and page.file.src_uri.startswith(prefix):
            relative = page.file.src_uri.removeprefix(prefix).removesuffix(".md")
            page.edit_url = (
                f"{self.config.repo_blob_url}{relative}" if self.config.repo_blob_url else None
            )
        return context


def _root(config: MkDocsConfig) -> Path:
    """The repository root: the folder of ``mkdocs.yml``."""
    return Path(config.config_file_path).resolve().parent


def _language(name: str) -> str | None:
    if name in TEXT_NAMES:
        return TEXT_NAMES[name]
    return LANGUAGES.get(Path(name).suffix)


def _source_page(relative: str, text: str) -> str:
    language = _language(Path(relative).name) or "text"
    has_markers = MARKER_TOKEN in text
    body = strip_markers(text) if has_markers else text
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 4)
    numbers = "" if has_markers else ' linenums="1"'
    return "\n".join(
        [
            "---",
            "search:",
            "  exclude: true",
            "---",
            "",
            f"# `{relative}`",
            "",
            f"{fence} {language}{numbers}",
            body.rstrip("\n"),
            fence,
            "",
        ]
    )
