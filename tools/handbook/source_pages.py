"""Source pages: every file of the configured folders as a page of the site.

A listing's title links to its file's page, and the proof under a listing links each
test's name to its line there, so the site carries its own sources and works without a
code host. A source page (``source/<path>/``) shows the whole file with its own line
numbers: a region marker line is shown blank, so line N of the page is line N of the file.
In a Python file each class and function also gets an anchor named after it.

The page's Markdown holds only a title and a placeholder; :meth:`SourcePages.fill` puts
the highlighted file in its place after Markdown has run, highlighted once per content
(:func:`highlighted_source`), since a rebuild would otherwise highlight a hundred
unchanged files again.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from handbook.examples import files_under
from handbook.regions import is_marker_line
from handbook.render import LANGUAGES, fence_for

TEXT_NAMES = {
    "Dockerfile": "dockerfile",
    "Containerfile": "dockerfile",
    "Makefile": "makefile",
    ".env.example": "bash",
}
"""Files whose name, not suffix, says their language."""

PLACEHOLDER = '<div class="source-file" data-handbook-source="{path}"></div>'
"""Where a source page's code goes; :meth:`SourcePages.fill` replaces it."""


@dataclass(frozen=True)
class SourcePages:
    """The source pages of one site.

    Attributes:
        root: The repository root.
        folders: Folders (relative to ``root``) each file of which gets a page, when its
            language is known.
        extra: Single files (relative to ``root``) that get a page too.
        prefix: Where the pages live in the site (``source``).
        blob_url: The code host's URL of a file, without the path; "edit this page" of a
            source page points there. Empty: no such link.
    """

    root: Path
    folders: tuple[str, ...]
    extra: tuple[str, ...]
    prefix: str
    blob_url: str

    def shown_files(self) -> list[str]:
        """The repository-relative paths that get a page, sorted.

        Raises:
            PluginError: An ``extra`` file does not exist.
        """
        missing = [extra for extra in self.extra if not (self.root / extra).is_file()]
        if missing:
            raise PluginError(f"handbook: extra_sources not found: {', '.join(missing)}")
        found = [self.root / extra for extra in self.extra]
        for folder in self.folders:
            found += [path for path in files_under(self.root / folder) if language(path.name)]
        return sorted({path.relative_to(self.root).as_posix() for path in found})

    def files(self, config: MkDocsConfig) -> list[File]:
        """A generated, unlisted page for every shown file."""
        return [
            File.generated(
                config,
                f"{self.prefix}/{relative}.md",
                content=page_markdown(relative),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
            for relative in self.shown_files()
        ]

    def shown(self, file: File) -> str | None:
        """The repository file that ``file`` shows; None when it is no source page."""
        if file.generated_by and file.src_uri.startswith(f"{self.prefix}/"):
            return file.src_uri.removeprefix(f"{self.prefix}/").removesuffix(".md")
        return None

    def fill(self, html: str, relative: str, config: MkDocsConfig) -> str:
        """Put the highlighted file ``relative`` into its page's placeholder."""
        # Source pages are where the proof links a test's line: they get line anchors.
        highlight = {**config.mdx_configs.get("pymdownx.highlight", {}), "anchor_linenums": True}
        options = json.dumps(highlight, sort_keys=True)
        text = (self.root / relative).read_text(encoding="utf-8")
        code = highlighted_source(relative, text, options)
        return html.replace(PLACEHOLDER.format(path=relative), code, 1)

    def edit_url(self, relative: str) -> str | None:
        """Where "edit this page" of the page of ``relative`` points: the file itself."""
        return f"{self.blob_url}{relative}" if self.blob_url else None


def language(name: str) -> str | None:
    """The highlighting language of a file named ``name``; None when it has none."""
    if name in TEXT_NAMES:
        return TEXT_NAMES[name]
    return LANGUAGES.get(Path(name).suffix)


def page_markdown(relative: str) -> str:
    """The Markdown of a source page: a title and the placeholder, kept out of search."""
    return "\n".join(
        [
            "---",
            "search:",
            "  exclude: true",
            "---",
            "",
            f"# `{relative}`",
            "",
            PLACEHOLDER.format(path=relative),
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
    highlighted_as = language(Path(relative).name) or "text"
    body = "\n".join("" if is_marker_line(line) else line for line in text.splitlines())
    fence = fence_for(body, margin=4)
    return f'{fence} {highlighted_as} linenums="1"\n{body.rstrip()}\n{fence}\n'
