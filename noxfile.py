"""Every task of the handbook, one nox session each.

``nox`` with no arguments runs what a contributor keeps green: lint, types, tests (with
the per-test coverage that becomes the proof), docs (integrity checks and the strict
site build), the examples (assembled, installed and tested) and the browser test.
Environments are reused between runs and built by uv, so a warm run spends its time on
the checks themselves.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import nox

ROOT = Path(__file__).parent.resolve()
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
STATE = ROOT / ".handbook"
PROOF = STATE / "proof.json"
SITE = ROOT / "site"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "pyproject.toml").is_file())

nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "types", "tests", "docs", "examples", "browser"]


def install(session: nox.Session, *groups: str, editable: bool = True) -> None:
    """Install dependency groups of the root pyproject, and the handbook's tooling."""
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups))
    if editable:
        session.install("-e", ".")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff (format and lint) and import-linter's contracts for every example."""
    install(session, "lint", editable=False)
    session.run("ruff", "format", "--check", ".")
    session.run("ruff", "check", ".")
    for example in EXAMPLES:
        session.run(
            "lint-imports",
            "--config",
            f"examples/{example}/pyproject.toml",
            env={"PYTHONPATH": str(ROOT / "snippets")},
        )


@nox.session
def types(session: nox.Session) -> None:
    """Mypy in strict mode over snippets, tooling, tests, the examples' tests and this file."""
    install(session, "types")
    session.run("mypy")
    # Each example's test folders apart: they all hold a conftest.py, and mypy refuses two
    # modules of one name in one run.
    for example in EXAMPLES:
        tests = ROOT / "examples" / example / "tests"
        folders = sorted(p for p in tests.iterdir() if p.is_dir() and any(p.glob("*.py")))
        for target in [tests / "conftest.py", *folders]:
            if target.exists():
                session.run("mypy", str(target.relative_to(ROOT)))


def _fresh_proof() -> bool:
    """Tell whether the proof on disk was made from exactly the current sources."""
    sys.path.insert(0, str(ROOT / "tools"))
    from handbook.fingerprint import (  # noqa: PLC0415 - the tooling, once installed
        fingerprint,
        recorded_fingerprint,
    )

    recorded = recorded_fingerprint(PROOF)
    return recorded is not None and recorded == fingerprint(ROOT)


def run_tests(session: nox.Session) -> None:
    """Run the suite with one coverage context per test, then write the proof."""
    STATE.mkdir(exist_ok=True)
    data = STATE / ".coverage"
    # Neither survives a failed run, so nothing later mistakes an old proof for this one.
    data.unlink(missing_ok=True)
    PROOF.unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT / "tools"))
    from handbook.coverage_options import coverage_arguments  # noqa: PLC0415 - standard library

    session.run(
        "pytest", *coverage_arguments(STATE), *session.posargs, env={"COVERAGE_FILE": str(data)}
    )
    partial = ["--partial"] if session.posargs else []
    session.run("python", "-m", "handbook", "proof", *partial)


def require_full_coverage(session: nox.Session) -> None:
    """Fail unless every line of ``snippets/`` ran, shown on a page or not yet."""
    session.run(
        "coverage",
        "report",
        "--include=snippets/*",
        "--fail-under=100",
        env={"COVERAGE_FILE": str(STATE / ".coverage")},
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Snippet, page and tooling tests; writes the proof shown under every listing."""
    install(session, "test")
    run_tests(session)
    require_full_coverage(session)


@nox.session
def docs(session: nox.Session) -> None:
    """Check every invariant and build the site strictly into ``site/``."""
    install(session, "test", "docs")
    if _fresh_proof() and not session.posargs:
        session.log("The proof matches the sources; reusing it.")
    else:
        run_tests(session)
    # The check first: a shown line that no test ran is named there as file:line.
    session.run("python", "-m", "handbook", "check")
    require_full_coverage(session)
    session.run("mkdocs", "build", "--strict", "--site-dir", str(SITE), env=_quiet())
    session.run("python", "-m", "handbook", "check-site", str(SITE))


def _quiet() -> dict[str, str]:
    return {"NO_MKDOCS_2_WARNING": "1"}


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the handbook at http://127.0.0.1:8000 (``HANDBOOK_ADDRESS``), live (ADR 23).

    The site answers as soon as it is built; the tests run in the background meanwhile,
    and after every edit, and the listings show "Proof pending" until their proof comes.
    A busy address is refused before anything is installed.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    from handbook.address import DEFAULT, VARIABLE, refusal  # noqa: PLC0415 - standard library only

    address = os.environ.get(VARIABLE, DEFAULT)
    refused = refusal(address)
    if refused is not None:
        session.error(refused)
    install(session, "test", "docs")
    session.run("python", "-m", "handbook.serve", "--address", address, env=_quiet())


@nox.session(requires=["docs"])
def browser(session: nox.Session) -> None:
    """Headless Chromium over the built site: diagrams, copy buttons, search, navigation."""
    install(session, "browser", editable=False)
    session.run(
        "pytest",
        "tests/browser",
        "-p",
        "no:handbook.pytest_plugin",
        "-o",
        "addopts=",
        "-rs",
        env={"HANDBOOK_SITE_DIR": str(SITE), "HANDBOOK_REPO_ROOT": str(ROOT)},
    )


def _example_venv(session: nox.Session, location: Path) -> Path:
    """Create a brand-new virtual environment; uv's cache keeps this cheap."""
    shutil.rmtree(location, ignore_errors=True)
    session.run("uv", "venv", "--quiet", "--python", sys.executable, str(location), external=True)
    return location / "bin" / "python"


def _install_and_test(session: nox.Session, python: Path, target: str, project: Path) -> None:
    groups = nox.project.dependency_groups(
        nox.project.load_toml(project / "pyproject.toml"), "test"
    )
    session.run(
        "uv",
        "pip",
        "install",
        "--quiet",
        # Compiled once at install: the end-to-end tests start the console scripts many
        # times, and without bytecode (or with PYTHONDONTWRITEBYTECODE set) each start
        # would compile FastAPI, SQLAlchemy and Pydantic from source again.
        "--compile-bytecode",
        "--python",
        str(python),
        target,
        *groups,
        external=True,
    )
    session.run(str(python), "-m", "pytest", "-p", "no:cacheprovider", external=True)


@nox.session
def examples(session: nox.Session) -> None:
    """Assemble each example as a wheel, install it fresh, run its suite; then export it.

    ``nox -s examples -- NAME`` runs one. The exported standalone copy must pass its own
    tests in another fresh environment, so what a reader downloads is proven too.
    """
    install(session, "lint", editable=True)
    chosen = session.posargs or EXAMPLES
    for name in chosen:
        if name not in EXAMPLES:
            session.error(f"no example {name!r}; examples: {', '.join(EXAMPLES)}")
        project = ROOT / "examples" / name
        dist = STATE / "dist" / name
        shutil.rmtree(dist, ignore_errors=True)
        session.run(
            "uv", "build", "--wheel", "--quiet", "--out-dir", str(dist), str(project), external=True
        )
        (wheel,) = dist.glob("*.whl")
        python = _example_venv(session, STATE / "venvs" / name)
        with session.chdir(project):
            _install_and_test(session, python, str(wheel), project)
        with tempfile.TemporaryDirectory(prefix=f"export-{name}-") as temporary:
            exported = Path(temporary) / name
            session.run("python", "-m", "handbook", "export", name, str(exported))
            python = _example_venv(session, Path(temporary) / ".venv")
            with session.chdir(exported):
                _install_and_test(session, python, ".", exported)


@nox.session
def export(session: nox.Session) -> None:
    """Write a standalone copy of an example: ``nox -s export -- NAME DEST``."""
    if len(session.posargs) != 2:  # noqa: PLR2004 - NAME and DEST
        session.error("usage: nox -s export -- NAME DEST")
    install(session, "lint")
    name, destination = session.posargs
    session.run("python", "-m", "handbook", "export", name, str(Path(destination).resolve()))


@nox.session
def timings(session: nox.Session) -> None:
    """Measure ``nox`` cold and warm and the rebuild under ``serve``; write them to CONTRIBUTING."""
    install(session, "test", "docs")
    session.run("python", "-m", "handbook.timings", "--nox", f"{sys.executable} -m nox")


@nox.session
def bench(session: nox.Session) -> None:
    """Load the installed shop on PostgreSQL beside a bare ASGI ceiling; write the figures.

    Needs ``DATABASE_URL=postgresql+asyncpg://...``. The page it writes,
    ``docs/examples/shop/benchmark.md``, is committed like any page: its figures come from
    this run, never from a keyboard. Options after ``--`` go to the runner
    (``--connections``, ``--seconds``, ``--warmup``).
    """
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        session.error("nox -s bench loads the shop on PostgreSQL: set DATABASE_URL")
    dist = STATE / "dist" / "shop-bench"
    shutil.rmtree(dist, ignore_errors=True)
    session.run(
        "uv", "build", "--wheel", "--quiet", "--out-dir", str(dist), "examples/shop", external=True
    )
    (wheel,) = dist.glob("*.whl")
    session.install(str(wheel), "-e", ".")
    session.run(
        "python",
        "-m",
        "handbook.bench.run",
        "--page",
        "docs/examples/shop/benchmark.md",
        *session.posargs,
    )
