"""MkDocs plugin: pages and downloads generated from the repository at build time.

* A *source page* for every file under the configured folders (``source/<path>/``): the
  whole file, marker lines shown blank so that line N is the file's line N. A
  listing's title links to it; the proof under a listing links each test's name to its
  line. The site thereby carries its own sources and works without a code host.
* A *download* for every example (``downloads/<name>.zip``): the standalone project that
  ``nox -s export`` writes, zipped.
* It tells :mod:`handbook.pages` which page is being rendered, so problems say where.

Nothing is written into ``docs/``: the files exist only in the build.
"""

from __future__ import annotations

import ast
import html
import json
import logging
import re
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any

import markdown
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_markdown_title

from handbook.examples import export_zip, files_under
from handbook.pages import current_page
from handbook.rebuild import Inputs, is_stale, newest_change, page_inputs, site_inputs
from handbook.regions import is_marker_line
from handbook.render import LANGUAGES, fence_for

log = logging.getLogger("mkdocs.plugins.handbook")
"""A child of MkDocs' logger, so that ``--strict`` counts our warnings."""

TEXT_NAMES = {"Dockerfile": "dockerfile", "Makefile": "makefile", ".env.example": "bash"}


class HandbookPluginConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs is untyped here
    """Options under ``plugins: - handbook:`` in ``mkdocs.yml``."""

    sources = config_options.ListOfItems(config_options.Type(str), default=["snippets", "tests"])
    extra_sources = config_options.ListOfItems(config_options.Type(str), default=[])
    source_dir = config_options.Type(str, default="source")
    repo_blob_url = config_options.Type(str, default="")


class HandbookPlugin(BasePlugin[HandbookPluginConfig]):  # type: ignore[no-untyped-call]
    """Generates source pages and example downloads; names the page being rendered.

    Under ``mkdocs serve --dirty`` (what ``nox -s serve`` runs) it also decides which pages
    a rebuild renders: those whose inputs changed (see :mod:`handbook.rebuild`).
    """

    def __init__(self) -> None:
        """A plugin that renders every page until ``on_startup`` says otherwise."""
        super().__init__()
        self.incremental = False
        self.rebuilt: set[str] = set()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether rebuilds are incremental: ``serve --dirty``.

        Having this event also makes MkDocs keep this plugin across the rebuilds of
        ``serve``, which the search index merge below relies on.
        """
        self.incremental = command == "serve" and dirty
        build_log = logging.getLogger("mkdocs.commands.build")
        build_log.removeFilter(DIRTY_BUILD_NOTICE)
        if self.incremental:
            # MkDocs warns on every dirty rebuild that the navigation may be wrong; this
            # plugin keeps it right, except for pages added or renamed: say that, once.
            build_log.addFilter(DIRTY_BUILD_NOTICE)
            log.info(
                "handbook: a rebuild renders only the pages an edit changed; "
                "restart after adding or renaming a page"
            )

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Start a build with no page rebuilt yet."""
        del config
        self.rebuilt = set()

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and downloads to the build."""
        files = self._generate(files, config)
        if self.incremental:
            self._rebuild_what_changed(files, config)
        return files

    def _generate(self, files: Files, config: MkDocsConfig) -> Files:
        root = _root(config)
        for relative in self._source_files(root):
            files.append(
                File.generated(
                    config,
                    f"{self.config.source_dir}/{relative}.md",
                    content=_source_page(relative),
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

    def _rebuild_what_changed(self, files: Files, config: MkDocsConfig) -> None:
        """Give every page MkDocs' ``is_modified`` test, judged on all of its inputs."""
        root = _root(config)
        listing_options = config.mdx_configs.get("handbook.listing", {})
        python_path = listing_options.get("python_path", [])
        proof = root / listing_options.get("proof", ".handbook/proof.json")
        everywhere = site_inputs(root, ["pyproject.toml", *_theme_overrides(config, root)])
        changed_everywhere = newest_change(everywhere)  # once per build, not once per page
        for file in files.documentation_pages():
            shown = self._shown_source(file)
            if shown is not None:
                inputs = Inputs(files=frozenset({root / shown}))
            elif file.abs_src_path is not None:
                inputs = page_inputs(root, Path(file.abs_src_path), python_path, proof)
            else:
                continue  # another plugin's page: MkDocs' own test stands
            # MkDocs asks up to three times a build; one answer, from one look at the files.
            judged = cache(partial(is_stale, Path(file.abs_dest_path), inputs, changed_everywhere))
            setattr(file, "is_modified", judged)  # noqa: B010 - replaces the method on one file

    def _shown_source(self, file: File) -> str | None:
        """The repository file a generated source page shows; ``None`` for other pages."""
        prefix = f"{self.config.source_dir}/"
        if file.generated_by and file.src_uri.startswith(prefix):
            return file.src_uri.removeprefix(prefix).removesuffix(".md")
        return None

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Read the pages a rebuild skips, so the navigation still has their titles.

        A skipped page is never read, and MkDocs finds a page's title by rendering it.
        """
        del files
        if self.incremental:
            for page in nav.pages:
                if not page.file.is_modified():
                    page.read_source(config)
                    title = get_markdown_title(page.markdown or "")
                    if title is not None and "title" not in page.meta:
                        # What rendering would have found: the heading's text, not its Markdown.
                        page.meta["title"] = heading_text(title)
        return nav

    @event_priority(50)  # before Material's search plugin writes the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Keep the search entries of the pages this rebuild skipped.

        Material's search plugin, under a dirty rebuild, merges the previous index by
        assuming that one page was rebuilt, and drops the entries of every page whose URL
        starts with that page's (all of them, when it is the home page). This merge keeps
        exactly the skipped pages' entries and leaves Material nothing to merge.
        """
        if not self.incremental:
            return
        search = config.plugins.get("material/search") or config.plugins.get("search")
        previous = getattr(search, "search_index_prev", None)
        current = getattr(search, "search_index", None)
        if previous is None or current is None:
            return
        kept = [
            entry
            for entry in previous.entries
            if entry["location"].split("#", 1)[0] not in self.rebuilt
        ]
        current.entries = kept + current.entries
        search.search_index_prev = None  # type: ignore[union-attr]

    def _source_files(self, root: Path) -> list[str]:
        found = [root / extra for extra in self.config.extra_sources]
        missing = [extra for extra in self.config.extra_sources if not (root / extra).is_file()]
        if missing:
            raise PluginError(f"handbook: extra_sources not found: {', '.join(missing)}")
        for folder in self.config.sources:
            found += [
                path for path in files_under(root / folder) if _language(path.name) is not None
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

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Put the highlighted file into a source page's placeholder; resolve raw links."""
        self.rebuilt.add(page.url)
        relative = self._shown_source(page.file)
        if relative is None:
            return relative_page_links(html, page, files)
        placeholder = SOURCE_PLACEHOLDER.format(path=relative)
        # Source pages are where the proof links a test's line: they get line anchors.
        highlight = {**config.mdx_configs.get("pymdownx.highlight", {}), "anchor_linenums": True}
        options = json.dumps(highlight, sort_keys=True)
        text = (_root(config) / relative).read_text(encoding="utf-8")
        return html.replace(placeholder, highlighted_source(relative, text, options), 1)

    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> Any:
        """Point "edit this page" of a source page at the real file."""
        del nav, config
        relative = self._shown_source(page.file)
        if relative is not None:
            page.edit_url = (
                f"{self.config.repo_blob_url}{relative}" if self.config.repo_blob_url else None
            )
        return context


class _DirtyBuildNotice(logging.Filter):
    """Drops MkDocs' warning about a dirty build, which the plugin answers (ADR 18)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but that warning."""
        return not record.getMessage().startswith("A 'dirty' build is being performed")


DIRTY_BUILD_NOTICE = _DirtyBuildNotice()


def heading_text(markdown_text: str) -> str:
    """The text of a heading written in Markdown: ``Use `nox` `` reads ``Use nox``."""
    rendered = markdown.markdown(f"# {markdown_text}")  # a heading: "1. Title" is no list
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


def _theme_overrides(config: MkDocsConfig, root: Path) -> list[str]:
    """The theme's ``custom_dir``, relative to ``root``, when there is one."""
    custom = config.theme.custom_dir
    return [Path(custom).resolve().relative_to(root).as_posix()] if custom else []


def _root(config: MkDocsConfig) -> Path:
    """The repository root: the folder of ``mkdocs.yml``."""
    return Path(config.config_file_path).resolve().parent


def _language(name: str) -> str | None:
    if name in TEXT_NAMES:
        return TEXT_NAMES[name]
    return LANGUAGES.get(Path(name).suffix)


def relative_page_links(html: str, page: Page, files: Files) -> str:
    """Make raw HTML links to pages relative to ``page``, as MkDocs does with Markdown links.

    The proof under a listing is raw HTML (see :mod:`handbook.listing`), which MkDocs does
    not rewrite: its links still read ``/source/PATH.md#anchor`` (a test's source page) or
    ``/PAGE.md`` (a session in a page). Each becomes the page's URL relative to ``page``; a
    link to a page the site does not have is a warning naming both, which fails a strict
    build, as a broken Markdown link would.
    """

    def resolve(match: re.Match[str]) -> str:
        target = files.get_file_from_path(match[1])
        if target is None:
            log.warning("%s links to %s, which the site does not have", page.file.src_uri, match[1])
            return match[0]
        return f'href="{target.url_relative_to(page.file)}{match[2] or ""}"'

    return RAW_PAGE_LINK.sub(resolve, html)


RAW_PAGE_LINK = re.compile(r'href="/([^"#]+\.md)(#[^"]*)?"')


SOURCE_PLACEHOLDER = '<div class="source-file" data-handbook-source="{path}"></div>'
"""Where a source page's code goes; the plugin fills it after Markdown has run."""


def _source_page(relative: str) -> str:
    """The Markdown of a source page: a title and a placeholder for the highlighted file.

    The file itself is highlighted by :func:`highlighted_source`, cached by content, and put in
    place by :meth:`HandbookPlugin.on_page_content`: under ``nox -s serve`` every rebuild
    renders every page, and highlighting a hundred unchanged files each time is most of it.
    """
    return "\n".join(
        [
            "---",
            "search:",
            "  exclude: true",
            "---",
            "",
            f"# `{relative}`",
            "",
            SOURCE_PLACEHOLDER.format(path=relative),
            "",
        ]
    )


@lru_cache(maxsize=1024)
def highlighted_source(relative: str, text: str, highlight_options: str) -> str:
    """Highlight a whole file as pymdownx.highlight would in a fenced block.

    Args:
        relative: The file's repository-relative path (picks the language).
        text: The file's content.
        highlight_options: The ``pymdownx.highlight`` options of ``mkdocs.yml``, as JSON (a
            hashable cache key).

    Returns:
        The HTML of the code block, with line anchors ``__codelineno-0-N`` numbered as
        the file is and, in a Python file, an anchor named after each class and function
        (see :func:`symbol_lines`).
    """
    converter = markdown.Markdown(
        extensions=["pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.highlight": json.loads(highlight_options)},
    )
    highlighted = converter.convert(source_fence(relative, text))
    if not relative.endswith(".py"):
        return highlighted
    for name, line in symbol_lines(text).items():
        line_anchor = f'<a id="__codelineno-0-{line}"'
        highlighted = highlighted.replace(line_anchor, f'<a id="{name}"></a>{line_anchor}', 1)
    return highlighted


def symbol_lines(source: str) -> dict[str, int]:
    """Where each class and function of a Python file starts, by qualified name.

    A page links to ``source/PATH.md#FakeDatabase`` or ``#FakeRepository.changes`` rather
    than to a line number, which the next edit above it would make wrong; a renamed
    symbol leaves a link to a missing anchor, which ``handbook check-site`` reports. A
    decorated definition starts at its first decorator. A file that does not parse has
    no symbols.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    lines: dict[str, int] = {}

    def visit(nodes: list[ast.stmt], prefix: str) -> None:
        for node in nodes:
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{node.name}"
                lines.setdefault(name, min([node.lineno, *(d.lineno for d in node.decorator_list)]))
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{name}.")

    visit(tree.body, "")
    return lines


def source_fence(relative: str, text: str) -> str:
    """A fenced block of the whole file, numbered as the file is.

    Region markers never reach a page, but the lines must keep the file's numbers: the
    proof under a listing links a test by its line. So a marker line is shown blank.
    """
    language = _language(Path(relative).name) or "text"
    body = "\n".join("" if is_marker_line(line) else line for line in text.splitlines())
    fence = fence_for(body, margin=4)
    return f'{fence} {language} linenums="1"\n{body.rstrip()}\n{fence}\n'
