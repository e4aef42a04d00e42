"""Invariant 6 on a crafted built site: nothing loaded from another host, no broken link."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from handbook.__main__ import main
from handbook.problems import Problem
from handbook.site_check import check_site, is_foreign

Writer = Callable[[Path, Mapping[str, str]], Path]

GOOD_INDEX = """\
<!doctype html>
<html>
<head>
<link rel="stylesheet" href="assets/site.css">
<link rel="canonical" href="https://handbook.example.com/">
<link rel="icon" href="/assets/favicon.png">
<script src="assets/app.js"></script>
<style>body { background: url("assets/bg.png"); }</style>
</head>
<body>
<h1 id="top">Home</h1>
<img src="data:image/png;base64,iVBORw0KGgo=" srcset="assets/bg.png 1x, assets/bg.png 2x">
<a href="guide/">Guide</a>
<a href="guide/#install">Install</a>
<a href="guide/index.html#install">Install again</a>
<a href="/guide/#install">Install from the root</a>
<a href="#top">Top</a>
<a href="">Here</a>
<a href="./">Home</a>
<a href="downloads/demo.zip">Download</a>
<a href="https://example.com/elsewhere">Another site, followed by choice</a>
<a href="mailto:team@example.com">Mail</a>
<a href="javascript:void(0)">Script</a>
<a href="guide/Caf%C3%A9.html#menu">Café</a>
</body>
</html>
"""

GUIDE = """\
<html><body>
<h2 id="install">Install</h2>
<a href="../">Home</a>
<a href="../index.html#top">Top</a>
<a name="legacy"></a>
<a href="#legacy">Legacy</a>
</body></html>
"""

CAFE = '<html><body><p id="menu">Menu</p><a href="../#top">Home</a></body></html>\n'

BAD = """\
<!doctype html>
<html>
<head>
<script src="https://cdn.example.com/lib.js"></script>
<link rel="stylesheet" href="//cdn.example.com/theme.css">
<link rel="preload" href="https://fonts.example.com/roboto.woff2" as="font">
<style>
body { color: black; }
@import "https://fonts.example.com/css";
h1 { background: url(https://img.example.com/bg.png); }
</style>
</head>
<body>
<img src="https://img.example.com/logo.png" alt="logo">
<img srcset="small.png 1x, https://img.example.com/big.png 2x" alt="big">
<p style="background: url('//cdn.example.com/dot.png')">Dot</p>
<iframe src="https://video.example.com/embed/1"></iframe>
<a href="missing.html">Missing</a>
<a href="guide/#nowhere">No such anchor</a>
<a href="../../outside.html">Outside</a>
<a href="#absent">Absent here</a>
</body>
</html>
"""

STYLESHEET = """\
body { margin: 0; }
@import url("https://fonts.example.com/inter.css");
.logo { background: url(../assets/bg.png); }
@font-face { src: url(//fonts.example.com/inter.woff2); }
"""


@pytest.fixture
def site(tmp_path: Path, write: Writer) -> Path:
    return write(
        tmp_path / "site",
        {
            "index.html": GOOD_INDEX,
            "guide/index.html": GUIDE,
            "guide/Café.html": CAFE,
            "assets/site.css": "body { color: black; }\n",
            "assets/app.js": "console.log('local');\n",
            "assets/bg.png": "png",
            "assets/favicon.png": "png",
            "downloads/demo.zip": "zip",
        },
    )


def test_a_site_that_stands_alone_passes(site: Path) -> None:
    assert check_site(site) == []


def test_every_foreign_load_and_broken_link_is_located(site: Path, write: Writer) -> None:
    write(site, {"bad.html": BAD, "assets/extra.css": STYLESHEET})

    problems = check_site(site)

    assert [str(problem) for problem in problems] == [
        "site/assets/extra.css:2: stylesheet loads https://fonts.example.com/inter.css "
        "from another host",
        "site/assets/extra.css:4: stylesheet loads //fonts.example.com/inter.woff2 "
        "from another host",
        "site/bad.html:4: <script src> loads https://cdn.example.com/lib.js from another host",
        "site/bad.html:5: <link href> loads //cdn.example.com/theme.css from another host",
        "site/bad.html:6: <link href> loads https://fonts.example.com/roboto.woff2 "
        "from another host",
        "site/bad.html:9: stylesheet loads https://fonts.example.com/css from another host",
        "site/bad.html:10: stylesheet loads https://img.example.com/bg.png from another host",
        "site/bad.html:14: <img src> loads https://img.example.com/logo.png from another host",
        "site/bad.html:15: <img srcset> loads https://img.example.com/big.png from another host",
        "site/bad.html:16: stylesheet loads //cdn.example.com/dot.png from another host",
        "site/bad.html:17: <iframe src> loads https://video.example.com/embed/1 from another host",
        "site/bad.html:18: link missing.html points at missing.html, which the site does not have",
        "site/bad.html:19: link guide/#nowhere: guide/index.html has no anchor #nowhere",
        "site/bad.html:20: link ../../outside.html leaves the site",
        "site/bad.html:21: link #absent: bad.html has no anchor #absent",
    ]
    assert problems == sorted(problems)


def test_the_site_url_makes_absolute_links_internal(site: Path, write: Writer) -> None:
    write(
        site,
        {
            "abs.html": (
                '<html><head><script src="https://handbook.example.com/assets/app.js"></script>'
                "</head><body>\n"
                '<a href="https://handbook.example.com/guide/#install">In</a>\n'
                '<a href="https://handbook.example.com/nope/">Gone</a>\n'
                "</body></html>\n"
            )
        },
    )

    problems = check_site(site, "https://handbook.example.com/")

    assert problems == [
        Problem(
            "site/abs.html",
            3,
            "link /nope/ points at nope, which the site does not have",
        )
    ]
    assert [p.line for p in check_site(site)] == [1]  # without it, the script is foreign


@pytest.mark.parametrize(
    ("url", "foreign"),
    [
        ("https://cdn.example.com/x.js", True),
        ("//cdn.example.com/x.js", True),
        ("  http://example.com", True),
        ("ftp://example.com/f", True),
        ("assets/x.js", False),
        ("/assets/x.js", False),
        ("../x.css", False),
        ("data:font/woff2;base64,AAAA", False),
        ("blob:abc", False),
        ("#anchor", False),
    ],
)
def test_is_foreign(url: str, foreign: bool) -> None:
    assert is_foreign(url) is foreign


def test_the_cli_reports_and_fails(
    site: Path, write: Writer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n"})

    assert main(["--root", str(root), "check-site", str(site)]) == 0
    assert capsys.readouterr().out == "check-site: ok\n"

    write(site, {"bad.html": BAD})
    assert main(["--root", str(root), "check-site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "site/bad.html:4: <script src> loads https://cdn.example.com/lib.js" in err
    assert err.endswith("check-site: 13 problem(s)\n")
