"""Invariant 6 of DESIGN.md, checked on the built site: it stands alone.

Every page, stylesheet and script the browser would fetch to show a page comes from the
site itself, so the handbook works on an air-gapped intranet; and every internal link
lands on an existing page and, when it names one, an existing anchor. Links *to* other
hosts are fine (the reader chooses to follow them); loading from them is not.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from handbook.problems import Problem

LOADING_ATTRIBUTES = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
"""Elements whose attributes make the browser fetch something."""

NON_LOADING_LINK_RELS = frozenset({"canonical", "alternate", "author", "license", "me"})
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(?P<url>[^'")\s]+)""")


def is_foreign(url: str) -> bool:
    """Tell whether a URL points at another host (``https://…``, ``//host/…``)."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or (parts.scheme not in {"", "data", "blob"} and parts.scheme != "")


class _PageScan(HTMLParser):
    """Collects a page's fetched resources, links and anchors, with their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[int, str, str]] = []
        self.links: list[tuple[int, str]] = []
        self.anchors: set[str] = set()
        self.styles: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        for name in ("id", "name"):
            if values.get(name):
                self.anchors.add(values[name])
        if tag == "style":
            self._in_style = True
        if values.get("style"):
            self.styles.append((line, values["style"]))
        if tag == "a" and "href" in values:
            self.links.append((line, values["href"]))
        if tag == "link" and NON_LOADING_LINK_RELS.intersection(values.get("rel", "").split()):
            return
        for attribute in LOADING_ATTRIBUTES.get(tag, ()):
            for url in _urls(values.get(attribute, ""), srcset=attribute == "srcset"):
                self.loads.append((line, f"<{tag} {attribute}>", url))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append((self.getpos()[0], data))


def _urls(value: str, *, srcset: bool) -> list[str]:
    if not value:
        return []
    if srcset:
        return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
    return [value]


def check_site(site: Path, site_url: str = "") -> list[Problem]:
    """Check a built site; problems are located at ``<site path>:line``.

    Args:
        site: The built site's folder.
        site_url: The site's own URL; absolute links under it count as internal.

    Returns:
        Every resource loaded from another host, every broken internal link or anchor,
        sorted by place.
    """
    problems: list[Problem] = []
    scans: dict[PurePosixPath, _PageScan] = {}
    for path in sorted(site.rglob("*.html")):
        scan = _PageScan()
        scan.feed(path.read_text(encoding="utf-8"))
        scans[PurePosixPath(path.relative_to(site).as_posix())] = scan
    label = site.name
    for page, scan in scans.items():
        where = f"{label}/{page}"
        for line, element, url in scan.loads:
            if is_foreign(url) and not (site_url and url.startswith(site_url)):
                problems.append(Problem(where, line, f"{element} loads {url} from another host"))
        for line, css in scan.styles:
            problems += _css_problems(where, line, css)
        for line, href in scan.links:
            problem = _link_problem(site, scans, page, href, site_url)
            if problem:
                problems.append(Problem(where, line, problem))
    for stylesheet in sorted(site.rglob("*.css")):
        where = f"{label}/{stylesheet.relative_to(site).as_posix()}"
        text = stylesheet.read_text(encoding="utf-8", errors="replace")
        for number, declaration in enumerate(text.splitlines(), start=1):
            problems += _css_problems(where, number, declaration)
    return sorted(problems)


def _css_problems(where: str, line: int, css: str) -> list[Problem]:
    return [
        Problem(
            where,
            line + css.count("\n", 0, match.start()),
            f"stylesheet loads {match['url']} from another host",
        )
        for match in _CSS_URL.finditer(css)
        if is_foreign(match["url"])
    ]


def _link_problem(
    site: Path,
    scans: dict[PurePosixPath, _PageScan],
    page: PurePosixPath,
    href: str,
    site_url: str,
) -> str | None:
    if site_url and href.startswith(site_url):
        href = "/" + href.removeprefix(site_url).lstrip("/")
    parts = urlsplit(href)
    target: PurePosixPath | None
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    if parts.path.startswith("/"):
        target = PurePosixPath(unquote(parts.path).lstrip("/"))
    elif parts.path:
        target = _normalise(page.parent / unquote(parts.path))
    else:
        target = page
    if target is None:
        return f"link {href} leaves the site"
    resolved = _existing(site, target)
    if resolved is None:
        return f"link {href} points at {target}, which the site does not have"
    fragment = unquote(parts.fragment)
    if fragment and resolved in scans and fragment not in scans[resolved].anchors:
        return f"link {href}: {resolved} has no anchor #{parts.fragment}"
    return None


def _normalise(path: PurePosixPath) -> PurePosixPath | None:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part not in {".", ""}:
            parts.append(part)
    return PurePosixPath(*parts) if parts else PurePosixPath("index.html").parent


def _existing(site: Path, target: PurePosixPath) -> PurePosixPath | None:
    candidate = site / target
    if candidate.is_file():
        return target
    if (candidate / "index.html").is_file():
        return target / "index.html" if str(target) != "." else PurePosixPath("index.html")
    return None
