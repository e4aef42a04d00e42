"""MkDocs plugin: the handbook's build steps, each in its own module, wired to MkDocs' events.

* :mod:`handbook.source_pages`: a page for every source file, which listings link to.
* :mod:`handbook.downloads`: every example as a zip and a git bundle;
  :mod:`handbook.site_archive`: the archive that works from disk, when a publication
  offers it.
* :mod:`handbook.offline`: the archive that works from disk, when Material's offline
  plugin is on: its search shim served by the site, instant navigation off.
* :mod:`handbook.pages`: which page is being rendered, so problems say ``page:line``.
* :mod:`handbook.page_links`: raw HTML links to pages made relative.
* :mod:`handbook.pending_guard`: a strict build writes no listing without its proof.
* :mod:`handbook.decisions`: the decision records grouped by topic in the navigation,
  each titled with its status; :mod:`handbook.reading_order`: the navigation, and so
  "previous" and "next", follows the reading order the home page recommends.
* Under ``mkdocs serve --dirty`` (what ``nox -s serve`` runs, ADR 18):
  :mod:`handbook.rebuild` decides which pages a rebuild renders,
  :mod:`handbook.nav_titles` keeps the skipped pages' titles,
  :mod:`handbook.search_merge` keeps their search entries, and
  :mod:`handbook.build_log` says once what MkDocs would warn about on each rebuild, and
  counts the listings waiting for the background test run instead of warning about each;
  the proof's folder is watched, so the pages follow the proof and the run's state.

Nothing is written into ``docs/``: generated files exist only in the build.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from handbook.build_log import (
    count_awaiting_proof,
    say_how_many_await_proof,
    say_rebuilds_are_incremental,
)
from handbook.decisions import decision_of, group_navigation, read_decisions
from handbook.downloads import example_downloads
from handbook.nav_titles import keep_titles
from handbook.notebook_scripts import without_remote_loaders
from handbook.offline import prepare_offline
from handbook.page_links import relative_page_links
from handbook.pages import current_page, docs_page
from handbook.pending_guard import refuse_pending
from handbook.reading_order import order_problems, recommended
from handbook.rebuild import judge_pages
from handbook.search_merge import merge_search_index
from handbook.site_archive import archive_file
from handbook.site_settings import SiteSettings
from handbook.source_pages import SourcePages

log = logging.getLogger("mkdocs.plugins.handbook")
"""A child of MkDocs' logger, so that ``--strict`` counts this plugin's warnings."""


class HandbookPluginConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs is untyped here
    """Options under ``plugins: - handbook:`` in ``mkdocs.yml``."""

    sources = config_options.ListOfItems(config_options.Type(str), default=["snippets", "tests"])
    extra_sources = config_options.ListOfItems(config_options.Type(str), default=[])
    source_dir = config_options.Type(str, default="source")
    repo_blob_url = config_options.Type(str, default="")
    decisions = config_options.Type(str, default="decisions")
    """The folder of the docs that holds the decision records."""


class HandbookPlugin(BasePlugin[HandbookPluginConfig]):  # type: ignore[no-untyped-call]
    """Wires the handbook's build steps to MkDocs' events; each step is its own module."""

    settings: SiteSettings
    """The site's settings, read by ``on_config`` at the start of every build."""

    def __init__(self) -> None:
        """A plugin that renders every page until ``on_startup`` says otherwise."""
        super().__init__()
        self.incremental = False
        self.rebuilt: set[str] = set()
        self.decision_titles: dict[str, str] = {}

    @event_priority(50)  # before Material's offline plugin looks for its shim
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read the site's settings, once per build; prepare an offline build."""
        self.settings = SiteSettings.of(config)
        prepare_offline(config)
        return config

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether rebuilds are incremental: ``serve --dirty``.

        Having this event also makes MkDocs keep this plugin across the rebuilds of
        ``serve``, which the search index merge relies on.
        """
        self.incremental = command == "serve" and dirty
        say_rebuilds_are_incremental(incremental=self.incremental)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Start a build with no page rebuilt yet; while serving, count pending listings."""
        self.rebuilt = set()
        if self.incremental and not config.strict:
            count_awaiting_proof()

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and downloads; under ``serve --dirty``, judge each page."""
        sources = self._sources()
        for file in [*sources.files(config), *example_downloads(sources.root, config)]:
            files.append(file)
        archive = archive_file(config)
        if archive is not None:
            files.append(archive)
        if self.incremental:
            judge_pages(files, self.settings, sources.shown)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Group the decisions by topic; check the reading order; keep skipped pages' titles.

        Under ``serve --dirty`` the pages a rebuild skips get their titles as rendering
        would have given them.
        """
        del files
        folder = self.config.decisions
        records = Path(config.docs_dir) / folder
        decisions = read_decisions(records) if records.is_dir() else []
        self.decision_titles = {d.file: d.nav_title for d in decisions}
        nav = group_navigation(nav, decisions, folder)
        if self.incremental:
            keep_titles(nav, config)
            for page in nav.pages:
                self._title_decision(page)
        home = Path(config.docs_dir) / "index.md"
        if home.is_file():
            links = recommended(home.read_text(encoding="utf-8"))
            shown = docs_page(self.settings.root, config.docs_dir, "index.md")
            for problem in order_problems(shown, links, [p.file.src_uri for p in nav.pages]):
                log.warning(str(problem))
        return nav

    def _title_decision(self, page: Page) -> None:
        """Title a decision record, in the navigation too, with its number and status."""
        name = decision_of(page, self.config.decisions)
        if name in self.decision_titles and page.markdown is not None:
            page.meta["title"] = self.decision_titles[name]

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Name the page about to be converted, for ``page:line`` messages; title a record."""
        del files
        self._title_decision(page)
        sources = self._sources()
        shown = sources.shown(page.file)
        current_page.set(shown or docs_page(sources.root, config.docs_dir, page.file.src_uri))
        return markdown

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Put the highlighted file into a source page; make raw links relative elsewhere.

        An executed notebook's page (a ``.py`` file among the pages) loses the script
        loaders of nbconvert's template, which would load from another host.
        """
        self.rebuilt.add(page.url)
        if page.file.src_uri.endswith(".py"):
            html = without_remote_loaders(html)
        sources = self._sources()
        shown = sources.shown(page.file)
        if shown is None:
            return relative_page_links(html, page, files)
        return sources.fill(html, shown, config)

    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Point "edit this page" of a source page at the real file."""
        del nav, config
        sources = self._sources()
        shown = sources.shown(page.file)
        if shown is not None:
            page.edit_url = sources.edit_url(shown)
        return context

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """In a strict build, write no page if one shows a listing without its proof."""
        if config.strict:
            refuse_pending(file.page for file in files.documentation_pages())
        return env

    @event_priority(50)  # before Material's search plugin writes the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Under ``serve --dirty``, keep the search entries of the pages a rebuild skipped."""
        if self.incremental:
            merge_search_index(config, self.rebuilt)
        say_how_many_await_proof()

    def on_build_error(self, *, error: Exception) -> None:
        """Stop counting pending listings: the next build starts again."""
        del error
        say_how_many_await_proof()

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Watch the proof's folder, not deeper: the proof and the test run's state.

        Not through ``watch`` in ``mkdocs.yml``, whose paths must exist when MkDocs starts: on
        a fresh clone the proof comes later. Not the whole folder: it holds environments.
        """
        del config, builder
        folder = self.settings.proof.parent
        folder.mkdir(parents=True, exist_ok=True)
        server.watch(str(folder), recursive=False)
        return server

    def _sources(self) -> SourcePages:
        return SourcePages(
            root=self.settings.root,
            folders=tuple(self.config.sources),
            extra=tuple(self.config.extra_sources),
            prefix=self.config.source_dir,
            blob_url=self.config.repo_blob_url,
        )
