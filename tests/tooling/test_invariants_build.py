"""End to end: break each invariant on purpose; the docs build fails and says where.

The docs build is what ``nox -s docs`` runs once the tests have written the proof:
``python -m handbook check``, ``mkdocs build --strict`` (as ``python -m
handbook.site_build``, which prints only what fails it) and ``python -m handbook
check-site``, each in a subprocess, here on a copy of the tiny handbook of ``conftest.py``
(whose tests ran under per-test coverage). The good handbook builds clean, checked once
for the module; each case copies it, breaks one thing and builds again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]
SITE_BUILD = ("-m", "handbook.site_build", "--strict")  # as nox -s docs runs it
LineOf = Callable[[Path, str], int]

pytestmark = pytest.mark.usefixtures("good")  # the good handbook builds clean: only a break fails


@dataclass(frozen=True)
class DocsBuild:
    """The outcome of each step of the docs build."""

    check: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    site: subprocess.CompletedProcess[str] | None

    def report(self) -> str:
        return "\n".join(
            f"--- {name} (exit {step.returncode})\n{step.stdout}{step.stderr}"
            for name, step in [("check", self.check), ("build", self.build), ("site", self.site)]
            if step is not None
        )


def docs_build(run: Run, root: Path) -> DocsBuild:
    """Check and build side by side (``nox -s docs`` runs them in turn), then check the site."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        check = pool.submit(run, root, "-m", "handbook", "check")
        build = pool.submit(run, root, *SITE_BUILD, "--site-dir", str(root / "site"))
    built = build.result()
    site = run(root, "-m", "handbook", "check-site", "site") if built.returncode == 0 else None
    return DocsBuild(check.result(), built, site)


@pytest.fixture(scope="module")
def good(proved_template: Path, tmp_path_factory: pytest.TempPathFactory, run: Run) -> Path:
    """The tiny handbook, built once; its docs build must pass."""
    root = Path(shutil.copytree(proved_template, tmp_path_factory.mktemp("good") / "repo"))
    outcome = docs_build(run, root)
    assert outcome.check.returncode == 0, outcome.report()
    assert outcome.build.returncode == 0, outcome.report()
    assert outcome.site is not None
    assert outcome.site.returncode == 0, outcome.report()
    assert outcome.check.stdout == "check: ok\n"
    assert (outcome.build.stdout, outcome.build.stderr) == ("", "")  # nothing on success
    assert outcome.site.stdout == "check-site: ok\n"
    return root


@pytest.fixture
def copy(proved_repo: Path) -> Path:
    """A private copy of the good handbook, to break."""
    return proved_repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_good_handbook_shows_every_listing_with_its_proof(good: Path, line_of: LineOf) -> None:
    html = (good / "site" / "index.html").read_text(encoding="utf-8")
    doctest = line_of(good / "docs" / "index.md", ">>> add(2, 3)")

    for region, tests in [("add", 2), ("split", 2)]:  # add: test_add and the page's doctest
        assert (
            f'<div class="listing" data-source="snippets/demo/money.py" data-region="{region}" '
            f'data-tests="{tests}">'
        ) in html
    assert 'data-source="snippets/demo/rates.py" data-region="rate" data-tests="1"' in html
    assert 'href="source/tests/test_money.py/#__codelineno-0-12"' in html
    assert 'href="source/tests/unit/conftest.py/"' in html
    assert (
        f'<li><code>docs/index.md</code>: <a href="./"><code>session at line {doctest}</code></a>'
        in html
    )
    assert (good / "site" / "source" / "tests" / "unit" / "conftest.py" / "index.html").is_file()
    # Declarations: no test executed them, so their proof is the tests that used them.
    declared = html[html.index('data-region="currencies"') :]
    declared = declared[: declared.index("</details>")]
    assert 'data-source="snippets/demo/currencies.py" data-region="currencies" data-tests="0"' in (
        html
    )
    assert "<summary>Declarations used by 1 test</summary>" in declared
    assert (
        "The tests that exercised <code>MINOR_UNITS</code> (ran their code, or code that names"
        in declared
    )
    assert 'href="source/tests/test_currencies.py/#__codelineno-0-1"' in declared
    assert 'imported by <a href="source/tests/conftest.py/"><code>tests/conftest.py' in declared
    assert (good / "site" / "source" / "snippets" / "demo" / "money.py" / "index.html").is_file()


def test_a_pasted_listing_fails_the_check_at_its_page_line(
    copy: Path, run: Run, line_of: LineOf
) -> None:
    index = copy / "docs" / "index.md"
    pasted = "\n```python\ndef subtract(a: int, b: int) -> int:\n    return a - b\n```\n"
    index.write_text(index.read_text(encoding="utf-8") + pasted, encoding="utf-8")
    line = line_of(index, "def subtract(") - 1

    check = run(copy, "-m", "handbook", "check")  # invariant 1 is the check's to enforce

    assert check.returncode == 1, check.stdout + check.stderr
    assert check.stderr.startswith(
        f"docs/index.md:{line}: a pasted python block: show code with "
        "'/// listing | path#region' from a tested snippet"
    )
    assert check.stderr.endswith("check: 1 problem(s)\n")


def test_a_deleted_end_marker_fails_at_the_snippet_line(
    copy: Path, run: Run, line_of: LineOf
) -> None:
    money = copy / "snippets" / "demo" / "money.py"
    start = line_of(money, "[start:add]")
    edit(money, "# --8<-- [end:add]\n", "")
    expected = (
        f"snippets/demo/money.py:{start}: region 'add' is never closed (no '[end:add]' marker)"
    )

    outcome = docs_build(run, copy)

    assert outcome.check.returncode == 1, outcome.report()
    assert outcome.build.returncode == 1, outcome.report()
    assert expected in outcome.check.stderr.splitlines()
    assert f"WARNING -  {expected}" in outcome.build.stderr
    assert "Aborted with" in outcome.build.stdout


def test_a_renamed_region_fails_at_the_page_line(copy: Path, run: Run, line_of: LineOf) -> None:
    money = copy / "snippets" / "demo" / "money.py"
    edit(money, "[start:add]", "[start:sum]")
    edit(money, "[end:add]", "[end:sum]")
    line = line_of(copy / "docs" / "index.md", "money.py#add")
    expected = (
        f"docs/index.md:{line}: no region 'add' in snippets/demo/money.py "
        "(regions there: split, sum, uneven)"
    )

    outcome = docs_build(run, copy)

    assert outcome.check.returncode == 1, outcome.report()
    assert outcome.build.returncode == 1, outcome.report()
    assert expected in outcome.check.stderr.splitlines()
    assert (
        f"snippets/demo/money.py:{line_of(money, '[start:sum]')}: region 'sum' is shown on no page"
        in outcome.check.stderr.splitlines()
    )
    assert f"WARNING -  {expected}" in outcome.build.stderr


def test_a_shown_line_no_test_reaches_fails_at_the_snippet_line_naming_the_page(
    copy: Path, run: Run, line_of: LineOf, prove: Callable[[Path], None]
) -> None:
    edit(
        copy / "tests" / "test_money.py",
        "\n\ndef test_split_uneven() -> None:\n    assert split(5, 2) == [3, 2]\n",
        "",
    )
    prove(copy)
    unreached = line_of(copy / "snippets" / "demo" / "money.py", "return [share + 1]")
    page_line = line_of(copy / "docs" / "index.md", "money.py#split")
    expected = (
        f"snippets/demo/money.py:{unreached}: shown on docs/index.md:{page_line} "
        "(snippets/demo/money.py#split) but no test executed it"
    )

    outcome = docs_build(run, copy)

    assert outcome.check.returncode == 1, outcome.report()
    assert outcome.build.returncode == 1, outcome.report()
    assert outcome.check.stderr == f"{expected}\ncheck: 1 problem(s)\n"
    assert f"WARNING -  {expected}" in outcome.build.stderr


def test_a_declaration_no_test_uses_fails_at_the_page_line(
    copy: Path, run: Run, line_of: LineOf, prove: Callable[[Path], None]
) -> None:
    # The conftest still imports currencies.py, but no test runs code that reads the table.
    (copy / "tests" / "test_currencies.py").unlink()
    prove(copy)
    page_line = line_of(copy / "docs" / "index.md", "currencies.py#currencies")
    expected = (
        f"docs/index.md:{page_line}: the listing's proof names nothing "
        "(snippets/demo/currencies.py#currencies): its lines run only at import, and no test "
        "ran code that uses MINOR_UNITS"
    )

    outcome = docs_build(run, copy)

    assert outcome.check.returncode == 1, outcome.report()
    assert outcome.build.returncode == 1, outcome.report()
    assert outcome.check.stderr == f"{expected}\ncheck: 1 problem(s)\n"
    assert f"WARNING -  {expected}" in outcome.build.stderr


def test_a_script_from_another_host_fails_the_site_check(copy: Path, run: Run) -> None:
    edit(
        copy / "mkdocs.yml",
        "plugins:\n",
        "extra_javascript:\n  - https://cdn.example.com/mermaid.min.js\nplugins:\n",
    )

    build = run(copy, *SITE_BUILD, "--site-dir", str(copy / "site"))
    site = run(copy, "-m", "handbook", "check-site", "site")  # invariant 6, on the built site

    assert build.returncode == 0, build.stdout + build.stderr
    assert site.returncode == 1, site.stdout + site.stderr
    assert re.search(
        r"^site/index\.html:\d+: <script src> loads https://cdn\.example\.com/mermaid\.min\.js "
        r"from another host$",
        site.stderr,
        re.MULTILINE,
    ), site.stderr


def test_a_broken_link_fails_the_build_which_prints_that_warning_alone(
    copy: Path, run: Run
) -> None:
    index = copy / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[Gone](gone.md)\n", encoding="utf-8")

    build = run(copy, *SITE_BUILD, "--site-dir", str(copy / "site"))

    assert build.returncode == 1, build.stdout + build.stderr
    assert build.stderr == (
        "WARNING -  Doc file 'index.md' contains a link 'gone.md', but the target is not found"
        " among documentation files.\n"
    )
    assert build.stdout == "\nAborted with 1 warnings in strict mode!\n"


def test_mkdocs_quiet_drops_the_warning_and_strict_mode_with_it(copy: Path, run: Run) -> None:
    # Why the docs build is not `mkdocs build --strict --quiet`: MkDocs 1.6 passes this.
    index = copy / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[Gone](gone.md)\n", encoding="utf-8")

    build = run(copy, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "site")

    assert (build.returncode, build.stdout, build.stderr) == (0, "", "")
