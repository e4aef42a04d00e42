"""Shared fixtures of the engine's tests: small handbook repositories in temporary folders.

``repo`` is a complete, minimal handbook (:data:`HANDBOOK`): a snippet package with
regions (``snippets/demo/money.py``, ``snippets/demo/rates.py`` and the declarations of
``snippets/demo/currencies.py``), its tests (those of ``rates`` behind a ``conftest.py``
in a subfolder, those of ``currencies`` behind the ``conftest.py`` pytest loads before
collecting), a page that shows the regions and holds a doctest session that Sybil runs, a
``pyproject.toml`` configured like the real one and an ``mkdocs.yml`` with the real one's
Markdown extensions. ``proved_template``
runs its tests once per session under per-test coverage, in a subprocess, and builds its
proof, as ``nox -s tests`` does; ``proved_repo`` is a private copy of it to change.

Fixtures that return helpers return plain callables, so test modules import nothing from
this file. Tests find line numbers with ``line_of`` rather than counting them by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from handbook.pages import current_page
from handbook.proof import PROOF_VERSION, file_digest


def _text(source: str) -> str:
    return textwrap.dedent(source).lstrip("\n")


PYPROJECT = _text(
    """
    [project]
    name = "tiny-handbook"
    version = "0.1.0"

    [tool.coverage.run]
    branch = false
    source = ["snippets"]
    relative_files = true

    [tool.pytest.ini_options]
    pythonpath = ["snippets"]
    testpaths = ["tests", "docs"]
    addopts = ["--import-mode=importlib", "-p", "no:cacheprovider", "-p", "handbook.pytest_plugin"]

    [tool.handbook]
    docs-dir = "docs"
    page-dirs = ["docs"]
    snippets-dir = "snippets"
    proof = ".handbook/proof.json"
    """
)

MONEY = _text(
    '''
    """Money in cents, a tiny module for the engine's tests."""

    from __future__ import annotations


    # --8<-- [start:add]
    def add(a: int, b: int) -> int:
        """Add two amounts."""
        total = a + b
        return total
    # --8<-- [end:add]


    # --8<-- [start:split]
    def split(amount: int, parts: int) -> list[int]:
        """Split an amount into parts that differ by at most one cent."""
        share, rest = divmod(amount, parts)
        # --8<-- [start:uneven]
        if rest:
            return [share + 1] * rest + [share] * (parts - rest)
        # --8<-- [end:uneven]
        return [share] * parts
    # --8<-- [end:split]


    def refund(amount: int) -> int:
        """Turn an amount into its refund; no test calls it."""
        return -amount


    class Ledger:
        """A running balance; no test makes one."""

        def __init__(self) -> None:
            self.balance = 0
    '''
)

RATES = _text(
    '''
    """Exchange rates; the tests import this module from a conftest in a subfolder."""


    # --8<-- [start:rate]
    def rate(currency: str) -> int:
        """The rate of a currency, in cents."""
        return {"EUR": 100, "USD": 90}[currency]
    # --8<-- [end:rate]
    '''
)

CURRENCIES = _text(
    '''
    """Currencies the demo knows: declared once, read by ``minor_units``."""

    # --8<-- [start:currencies]
    MINOR_UNITS = {
        "EUR": 2,
        # --8<-- [start:yen]
        "JPY": 0,
        # --8<-- [end:yen]
    }
    """Digits after the decimal point, by currency."""
    # --8<-- [end:currencies]


    def minor_units(currency: str) -> int:
        """The digits after the decimal point of a currency's amounts."""
        return MINOR_UNITS[currency]
    '''
)

ROOT_CONFTEST = _text(
    """
    import pytest

    from demo.currencies import minor_units


    @pytest.fixture
    def euro_digits() -> int:
        return minor_units("EUR")
    """
)

TEST_CURRENCIES = _text(
    """
    def test_euros_have_cents(euro_digits: int) -> None:
        assert euro_digits == 2
    """
)

TEST_MONEY = _text(
    """
    from demo.money import add, split


    def test_add() -> None:
        assert add(1, 2) == 3


    def test_split_even() -> None:
        assert split(4, 2) == [2, 2]


    def test_split_uneven() -> None:
        assert split(5, 2) == [3, 2]
    """
)

UNIT_CONFTEST = _text(
    """
    import pytest

    from demo.rates import rate


    @pytest.fixture
    def euro() -> int:
        return rate("EUR")
    """
)

TEST_RATES = _text(
    """
    def test_euro(euro: int) -> None:
        assert euro == 100
    """
)

INDEX = _text(
    """
    # Money

    Amounts are integers of cents.

    /// listing | snippets/demo/money.py#add
    title: Adding amounts
    ///

    /// listing | snippets/demo/money.py#split
    highlight: uneven
    ///

    /// listing | snippets/demo/rates.py#rate
    ///

    /// listing | snippets/demo/currencies.py#currencies
    highlight: yen
    ///

    Build the site with:

    ```bash
    nox -s docs
    ```

    Adding is plain arithmetic:

    ```python
    >>> from demo.money import add
    >>> add(2, 3)
    5
    ```
    """
)

DOCS_CONFTEST = _text(
    """
    from sybil import Sybil
    from sybil.parsers.markdown import PythonCodeBlockParser

    pytest_collect_file = Sybil(parsers=[PythonCodeBlockParser()], patterns=["*.md"]).pytest()
    """
)

MKDOCS = _text(
    """
    site_name: Tiny handbook
    site_url: http://127.0.0.1:8000/
    docs_dir: docs
    strict: true
    validation:
      omitted_files: warn
      absolute_links: relative_to_docs
      unrecognized_links: warn
      anchors: info
    theme:
      name: material
      font: false
      features:
        - content.code.annotate
    plugins:
      - handbook
    markdown_extensions:
      - abbr
      - admonition
      - attr_list
      - def_list
      - footnotes
      - md_in_html
      - tables
      - toc:
          permalink: true
      - handbook.listing:
          root: !relative $config_dir
          proof: .handbook/proof.json
      - pymdownx.details
      - pymdownx.highlight:
          anchor_linenums: true
          line_spans: __span
          pygments_lang_class: true
      - pymdownx.inlinehilite
      - pymdownx.snippets:
          base_path: [!relative $config_dir]
          check_paths: true
      - pymdownx.superfences:
          custom_fences:
            - name: mermaid
              class: mermaid
              format: !!python/name:pymdownx.superfences.fence_code_format
      - pymdownx.tabbed:
          alternate_style: true
    """
)

HANDBOOK: dict[str, str] = {
    "pyproject.toml": PYPROJECT,
    "mkdocs.yml": MKDOCS,
    "snippets/demo/__init__.py": '"""The demo package."""\n',
    "snippets/demo/money.py": MONEY,
    "snippets/demo/rates.py": RATES,
    "snippets/demo/currencies.py": CURRENCIES,
    "tests/conftest.py": ROOT_CONFTEST,
    "tests/test_currencies.py": TEST_CURRENCIES,
    "tests/test_money.py": TEST_MONEY,
    "tests/unit/conftest.py": UNIT_CONFTEST,
    "tests/unit/test_rates.py": TEST_RATES,
    "docs/index.md": INDEX,
    "docs/conftest.py": DOCS_CONFTEST,
}
"""The minimal handbook, by repository-relative path."""


def write_files(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` (relative path to text) under ``root``; return ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def find_line(path: Path, fragment: str) -> int:
    """The 1-based number of the one line of ``path`` that contains ``fragment``."""
    numbers = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if fragment in line
    ]
    assert len(numbers) == 1, f"{fragment!r} is on lines {numbers} of {path}"
    return numbers[0]


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what would leak its own coverage or pytest setup."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("COV_CORE_", "COVERAGE_", "PYTEST_"))
    }
    environment["NO_MKDOCS_2_WARNING"] = "1"
    environment.update(extra)
    return environment


def run_python(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGUMENTS`` in ``root`` with this interpreter; capture its output."""
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *arguments],
        cwd=root,
        env=clean_environment(COVERAGE_FILE=str(root / ".handbook" / ".coverage")),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def prove_repository(root: Path) -> None:
    """Run the repository's tests with one coverage context per test, then build its proof.

    The same steps as ``nox -s tests``: pytest with the handbook plugin, pytest-cov's
    per-test contexts and the test locations, then ``python -m handbook proof``.
    """
    state = root / ".handbook"
    state.mkdir(exist_ok=True)
    (state / ".coverage").unlink(missing_ok=True)
    tests = run_python(
        root,
        "-m",
        "pytest",
        "-p",
        "handbook.pytest_plugin",
        "--cov",
        "--cov-context=test",
        "--cov-report=",
        f"--handbook-locations={state / 'tests.json'}",
        "-q",
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    proof = run_python(root, "-m", "handbook", "proof")
    assert proof.returncode == 0, proof.stdout + proof.stderr


def write_proof_document(
    root: Path, tests: list[dict[str, Any]], files: Mapping[str, Mapping[str, Any]]
) -> Path:
    """Write ``.handbook/proof.json`` by hand, with the real digest of every file named.

    Args:
        root: The repository root.
        tests: The ``tests`` list of the document, as :func:`handbook.proof.build_proof`
            writes it.
        files: For each file, its ``statements`` and ``lines`` (line number to indexes
            into ``tests``), and, if any, its ``spans`` and ``declarations`` (each
            ``[name, first, last]``, and the indexes of its users when recorded).

    Returns:
        The proof file.
    """
    sets: list[list[int]] = []

    def intern(refs: Iterable[int]) -> int:
        sets.append(sorted(refs))
        return len(sets) - 1

    document = {
        "version": PROOF_VERSION,
        "tests": tests,
        "sets": sets,
        "files": {
            relative: {
                "sha256": file_digest(root / relative),
                "statements": list(entry["statements"]),
                "lines": {str(line): intern(refs) for line, refs in entry["lines"].items()},
                "spans": entry.get("spans", []),
                "declarations": [
                    [*row[:3], *(intern(users) for users in row[3:])]
                    for row in entry.get("declarations", [])
                ],
            }
            for relative, entry in files.items()
        },
    }
    target = root / ".handbook" / "proof.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def write() -> Callable[[Path, Mapping[str, str]], Path]:
    """Write files under a root: ``write(root, {"a/b.py": "text"})``."""
    return write_files


@pytest.fixture(scope="session")
def line_of() -> Callable[[Path, str], int]:
    """The 1-based line of a file that holds a fragment: ``line_of(path, "total =")``."""
    return find_line


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The minimal handbook, written but not proven."""
    return write_files(tmp_path / "repo", HANDBOOK)


@pytest.fixture(scope="session")
def proved_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal handbook with its tests run and its proof built; do not change it."""
    root = write_files(tmp_path_factory.mktemp("proved") / "repo", HANDBOOK)
    prove_repository(root)
    return root


@pytest.fixture
def proved_repo(proved_template: Path, tmp_path: Path) -> Path:
    """A private copy of the proven handbook, free to change."""
    return Path(shutil.copytree(proved_template, tmp_path / "repo", symlinks=True))


@pytest.fixture(scope="session")
def prove() -> Callable[[Path], None]:
    """Run a repository's tests under per-test coverage and build its proof."""
    return prove_repository


@pytest.fixture(scope="session")
def run() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run this interpreter in a repository: ``run(root, "-m", "handbook", "check")``."""
    return run_python


@pytest.fixture(scope="session")
def write_proof() -> Callable[[Path, list[dict[str, Any]], Mapping[str, Mapping[str, Any]]], Path]:
    """Write a proof document by hand (see :func:`write_proof_document`)."""
    return write_proof_document


@pytest.fixture
def on_page() -> Iterator[str]:
    """Tell the Markdown extension it renders ``docs/page.md``, as the MkDocs plugin does."""
    token = current_page.set("docs/page.md")
    yield "docs/page.md"
    current_page.reset(token)


@pytest.fixture
def site_config(repo: Path) -> MkDocsConfig:
    """The minimal handbook's MkDocs configuration, with an example and every plugin option.

    The repository gets an example with a project (``examples/demo``), a folder of
    ``examples/`` without one, a file of no known language and a bytecode cache, and the
    plugin an extra source file and a code host's URL.
    """
    config_file = repo / "mkdocs.yml"
    configured = config_file.read_text("utf-8").replace(
        "  - handbook\n",
        "  - handbook:\n"
        "      extra_sources: [pyproject.toml]\n"
        "      repo_blob_url: https://git.example.com/blob/main/\n",
    )
    write_files(
        repo,
        {
            "mkdocs.yml": configured,
            "examples/demo/pyproject.toml": (
                '[tool.hatch.build.targets.wheel.force-include]\n"../../snippets/demo" = "demo"\n'
            ),
            "examples/notes/README.md": "no pyproject, no download\n",
            "tests/data/blob.bin": "no language, no page\n",
            "snippets/demo/__pycache__/money.cpython-311.pyc": "",
        },
    )
    config = load_config(str(config_file))
    config.plugins._current_plugin = "handbook"  # as MkDocs sets it during the plugin's events
    return config


GATE_TEST = _text(
    """
    import time
    from pathlib import Path

    GATE = Path(__file__).resolve().parents[1] / "gate"


    def test_waits_for_the_gate() -> None:
        deadline = time.monotonic() + 120
        while not GATE.exists():
            assert time.monotonic() < deadline, "the gate never opened"
            time.sleep(0.05)
    """
)


@pytest.fixture
def gate(repo: Path) -> Callable[[], None]:
    """A test in ``repo`` that waits until the returned callable opens its gate.

    So a test can see a run of the suite while it runs, however fast the machine. The
    gate is a file outside what the proof depends on: opening it changes no fingerprint.
    """
    write_files(repo, {"tests/test_gate.py": GATE_TEST})
    return (repo / "gate").touch


@pytest.fixture
def child_environment(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """This process's environment cleaned for a child run of pytest or MkDocs, and in force.

    In force, too, for code under test that starts such a child with ``os.environ``.
    """
    environment = clean_environment()
    for name in set(os.environ) - set(environment):
        monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment
