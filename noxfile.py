"""Every task of the handbook, one nox session each.

``nox`` with no arguments runs what a contributor keeps green: lint, types, tests (with
the per-test coverage that becomes the proof), docs (integrity checks and the strict
site build), the examples (exported, built, installed and tested) and the browser test.
Environments are reused between runs and built by uv. Sessions that do not depend on
each other run side by side (nox's ``--parallel``; ``nox -j 1`` runs them one after
another), and a session whose inputs have not changed since it last passed is skipped,
in one line (:mod:`handbook.stamps`, ADR 20), so a warm run spends its time only on what
can have changed.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import nox

ROOT = Path(__file__).parent.resolve()
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
STATE = ROOT / ".handbook"
PROOF = STATE / "proof.json"
SITE = ROOT / "site"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "pyproject.toml").is_file())

sys.path.insert(0, str(ROOT / "tools"))
# Both use the standard library only, so they work before any environment exists.
from handbook.fingerprint import INPUTS as PROOF_FOLDERS  # noqa: E402
from handbook.stamps import Inputs, Stamp, installed  # noqa: E402

nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "types", "tests", "docs", "examples", "browser"]
# One session per core at a time; each session's output is printed as a block when it ends.
nox.options.parallel = os.cpu_count() or 1

SERVICES = ("CI", "DATABASE_URL", "REDIS_URL", "AMQP_URL")
"""What decides the servers the suites run against, and whether a missing one fails."""

CI_FILES = {
    "vendor.github-workflows": sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / ".github" / "workflows").glob("*.y*ml")
    ),
    "vendor.gitlab-ci": [".gitlab-ci.yml"] if (ROOT / ".gitlab-ci.yml").is_file() else [],
}
"""The CI files, by the schema check-jsonschema bundles for them (SchemaStore's)."""

LINT = Inputs(
    sources=(
        "*.py",
        "*.pyi",
        "noxw",
        "pyproject.toml",
        "examples/*/pyproject.toml",
        ".github/workflows/*",
        ".gitlab-ci.yml",
    )
)
TYPES = Inputs(sources=("*.py", "*.pyi", "noxw", "pyproject.toml"))
TESTS = Inputs(
    sources=(*(f"{folder}/*" for folder in PROOF_FOLDERS), "pyproject.toml", "noxfile.py"),
    environment=("CI",),  # the proving run sees no service URLs (run_tests)
    outputs=(".handbook/proof.json", ".handbook/.coverage", ".handbook/tests.json"),
)
DOCS = Inputs(sources=("*",), generated=(".handbook/proof.json",), outputs=("site",))
BROWSER = Inputs(
    sources=("tests/browser/*", "pyproject.toml", "noxfile.py"),
    generated=("site",),
    environment=("CI", "HANDBOOK_CHROMIUM"),
)

ARCHIVE_NAME = "enterprise-python-handbook"
"""The offline archive's name, before its version: ``dist/offline/NAME-VERSION.zip``."""

OFFLINE = Inputs(
    sources=("*",),
    generated=(".handbook/proof.json",),
    environment=("CI", "HANDBOOK_CHROMIUM"),
    outputs=("dist/offline",),
)

SessionFunction = Callable[[nox.Session], None]


def install(session: nox.Session, *groups: str, editable: bool = True) -> None:
    """Install dependency groups of the root pyproject, and the handbook's tooling, at once."""
    requirements = dict.fromkeys(nox.project.dependency_groups(PYPROJECT, *groups))
    session.install(*requirements, *(["-e", "."] if editable else []))


def _context(session: nox.Session) -> dict[str, str]:
    """Facts beside the files that decide a session's outcome: its tools, the browser."""
    return {
        "installed": " ".join(installed(session.env_dir)),
        "chromium": shutil.which(os.environ.get("HANDBOOK_CHROMIUM") or "chromium") or "",
        "npm": shutil.which("npm") or "",
    }


def skipped_when_unchanged(inputs: Inputs) -> Callable[[SessionFunction], SessionFunction]:
    """Skip the session when its stamp is current; record the stamp when it passes.

    A run with arguments (``nox -s tests -- tests/tooling``) is a different run: it is
    never skipped and records nothing.
    """

    def decorate(function: SessionFunction) -> SessionFunction:
        @functools.wraps(function)
        def run(session: nox.Session) -> None:
            stamp = None if session.posargs else Stamp.of(ROOT, session.name, inputs)
            if stamp is not None and stamp.is_current(_context(session)):
                session.skip("unchanged since it last passed")
            if stamp is not None:
                stamp.forget()
            function(session)
            if stamp is not None:
                stamp.record(_context(session))

        return run

    return decorate


@nox.session(allow_parallel=True)
@skipped_when_unchanged(LINT)
def lint(session: nox.Session) -> None:
    """Ruff (format and lint), import-linter's contracts, the CI files against their schemas."""
    install(session, "lint", editable=False)
    session.run("ruff", "format", "--check", "--quiet", ".")
    session.run("ruff", "check", "--quiet", ".")
    for schema, files in CI_FILES.items():
        if files:  # the schemas ship inside check-jsonschema: no network
            session.run("check-jsonschema", "--builtin-schema", schema, *files, silent=True)
    for example in EXAMPLES:
        # Its report only when a contract is broken: nox prints a silent command's output
        # when it fails.
        session.run(
            "lint-imports",
            "--no-logo",
            f"examples/{example}/pyproject.toml",
            env={"PYTHONPATH": str(ROOT / "snippets")},
            silent=True,
        )
    checked = ", ".join(file for files in CI_FILES.values() for file in files)
    session.log(f"ruff: clean; import contracts kept: {', '.join(EXAMPLES)}; valid: {checked}")


@nox.session(allow_parallel=True)
@skipped_when_unchanged(TYPES)
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
    from handbook.coverage_options import (  # noqa: PLC0415 - standard library
        SERVICE_URLS,
        coverage_arguments,
    )

    # On the embedded defaults: the configured servers are tested with the export (ADR 19).
    without_services: dict[str, str | None] = dict.fromkeys(SERVICE_URLS)
    session.run(
        "pytest",
        # The root's configuration, whatever paths follow: pytest would otherwise take
        # that of the nearest example, whose packages this environment does not install.
        "--config-file=pyproject.toml",
        "--quiet",
        *coverage_arguments(STATE),
        *session.posargs,
        env={**without_services, "COVERAGE_FILE": str(data)},
    )
    partial = ["--partial"] if session.posargs else []
    session.run("python", "-m", "handbook", "proof", *partial)


def require_full_coverage(session: nox.Session) -> None:
    """Fail unless every line of ``snippets/`` ran, shown on a page or not yet.

    The table is printed only when it fails, and then only its files with missed lines.
    """
    session.run(
        "coverage",
        "report",
        "--include=snippets/*",
        "--skip-covered",
        "--fail-under=100",
        env={"COVERAGE_FILE": str(STATE / ".coverage")},
        silent=True,
    )
    session.log("coverage: every line of snippets/ ran")


@nox.session(allow_parallel=True)
@skipped_when_unchanged(TESTS)
def tests(session: nox.Session) -> None:
    """Snippet, page and tooling tests; writes the proof shown under every listing."""
    install(session, "test")
    run_tests(session)
    if session.posargs:
        session.log("a part of the suite ran: snippets/ is not held to 100% coverage")
    else:
        require_full_coverage(session)


@nox.session(requires=["tests"], allow_parallel=True)
@skipped_when_unchanged(DOCS)
def docs(session: nox.Session) -> None:
    """Check every invariant and build the site strictly into ``site/``."""
    install(session, "test", "docs")
    if _fresh_proof() and not session.posargs:
        session.log("The proof matches the sources; reusing it.")
    else:
        run_tests(session)
        require_full_coverage(session)
    # The check first: a shown line that no test ran is named there as file:line.
    session.run("python", "-m", "handbook", "check")
    # Not `mkdocs build --quiet`: MkDocs 1.6 drops the warnings then, and strict mode with
    # them; this build prints only the warnings that fail it.
    session.run(
        "python", "-m", "handbook.site_build", "--strict", "--site-dir", str(SITE), env=_quiet()
    )
    session.run("python", "-m", "handbook", "check-site", str(SITE))


def _quiet() -> dict[str, str]:
    return {"NO_MKDOCS_2_WARNING": "1"}


@nox.session(requires=["docs"])
def zensical(session: nox.Session) -> None:
    """Build the site with Zensical beside MkDocs and write what carried over (ADR 73).

    Not part of ``nox``: it builds the site twice more, to compare. The figures go
    between the markers of ADR 73, which is committed like any page.
    """
    install(session, "test", "docs", "zensical")
    session.run("python", "-m", "handbook.zensical_trial", env=_quiet())


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


@nox.session(requires=["offline"])
def publish(session: nox.Session) -> None:
    """Deploy the site as this release's version with mike: ``nox -s publish [-- --push]``.

    The version is ``project.version`` of ``pyproject.toml``; the ``latest`` alias moves to
    it and is made the default, onto the branch ``HANDBOOK_PAGES_BRANCH`` (``gh-pages``)
    that GitHub Pages serves and the GitLab Pages job publishes (ADR 40, ADR 42). The
    site is built strictly again by mike, with the version selector on, and with the
    archive that ``nox -s offline`` made and tested in its ``downloads/``, linked from its
    home page (ADR 94); nothing leaves this machine without ``--push``. The CI workflows
    run this after ``./noxw`` is green.
    """
    unknown = [argument for argument in session.posargs if argument != "--push"]
    if unknown:
        session.error(f"unknown argument {unknown[0]!r}; usage: nox -s publish [-- --push]")
    install(session, "test", "docs")
    version = str(PYPROJECT["project"]["version"])
    branch = ["--branch", os.environ.get("HANDBOOK_PAGES_BRANCH") or "gh-pages"]
    push = ["--push"] if "--push" in session.posargs else []
    archive = ROOT / "dist" / "offline" / f"{ARCHIVE_NAME}-{version}.zip"
    env = {
        **_quiet(),
        "HANDBOOK_VERSION_PROVIDER": "mike",
        "HANDBOOK_SITE_ARCHIVE": str(archive),
    }
    session.run(
        "mike",
        "deploy",
        *branch,
        *push,
        "--update-aliases",
        "--alias-type=redirect",
        version,
        "latest",
        env=env,
    )
    session.run("mike", "set-default", *branch, *push, "latest", env=env)
    session.log(f"version {version} deployed as latest to {branch[1]}")


AXE = ROOT / "tests" / "browser" / "axe"
"""The npm project that pins axe-core, the accessibility audit's engine (ADR 67)."""


def install_axe(session: nox.Session) -> dict[str, str]:
    """Install axe-core as ``package-lock.json`` pins it, once per lock; say where it is.

    ``npm ci`` runs in a copy of the npm project under ``.handbook/axe`` and is skipped
    while that copy's lock is the repository's and the script is there. Without npm the
    audit is not run: the test says so, and fails under ``CI=true``.

    Returns:
        ``{"HANDBOOK_AXE": path of axe.min.js}``, or nothing when npm is missing.
    """
    target = STATE / "axe"
    script = target / "node_modules" / "axe-core" / "axe.min.js"
    lock = (AXE / "package-lock.json").read_bytes()
    installed_lock = target / "package-lock.json"
    if script.is_file() and installed_lock.is_file() and installed_lock.read_bytes() == lock:
        return {"HANDBOOK_AXE": str(script)}
    if shutil.which("npm") is None:
        session.warn("npm not found: the accessibility audit cannot run (install Node.js)")
        return {}
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(AXE / name, target / name)
    with session.chdir(target):
        session.run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", external=True)
    return {"HANDBOOK_AXE": str(script)}


@nox.session(requires=["docs"], allow_parallel=True)
@skipped_when_unchanged(BROWSER)
def browser(session: nox.Session) -> None:
    """Headless Chromium over the built site: diagrams, copy buttons, search, navigation.

    And accessibility: axe-core, installed from the npm registry, audits every page.
    """
    install(session, "browser", editable=False)
    axe = install_axe(session)
    browser_tests(
        session,
        "tests/browser",
        "--ignore=tests/browser/test_offline.py",  # nox -s offline runs it, on its archive
        # A browser per core: the walks over every page come in parts (READING_PARTS).
        f"--numprocesses={os.cpu_count() or 1}",
        env={"HANDBOOK_SITE_DIR": str(SITE), "HANDBOOK_REPO_ROOT": str(ROOT), **axe},
    )


def browser_tests(session: nox.Session, *arguments: str, env: dict[str, str]) -> None:
    """Run browser tests: without the proof's pytest plugin or the suite's options."""
    session.run(
        "pytest",
        "-p",
        "no:handbook.pytest_plugin",
        "-o",
        "addopts=",
        "--quiet",
        "-rs",
        *arguments,
        env=env,
    )


@nox.session(requires=["docs"])
@skipped_when_unchanged(OFFLINE)
def offline(session: nox.Session) -> None:
    """The site as a zip that works from disk, and a browser test over it (ADR 68).

    The site is built again, strictly, with Material's offline plugin on
    (``HANDBOOK_OFFLINE``), packed as ``dist/offline/NAME-VERSION.zip`` with one folder
    inside, and ``tests/browser/test_offline.py`` opens that folder's ``index.html`` from
    disk and walks it. A build of its own, so that ``nox -s docs`` stays as fast as it was.
    """
    # The snippets' own dependencies too: the build generates pages from their code (the
    # OpenAPI documents, the permission matrix, the troubleshooting guide).
    install(session, "snippets", "docs", "browser")
    name = f"{ARCHIVE_NAME}-{PYPROJECT['project']['version']}"
    build = STATE / "offline"
    shutil.rmtree(build, ignore_errors=True)
    site = build / name
    session.run(
        "python",
        "-m",
        "handbook.site_build",
        "--strict",
        "--site-dir",
        str(site),
        env={**_quiet(), "HANDBOOK_OFFLINE": "true"},
    )
    dist = ROOT / "dist" / "offline"
    shutil.rmtree(dist, ignore_errors=True)
    archive = shutil.make_archive(str(dist / name), "zip", root_dir=build, base_dir=name)
    session.log(f"the offline site: {Path(archive).relative_to(ROOT)}")
    browser_tests(
        session,
        "tests/browser/test_offline.py",
        env={"HANDBOOK_SITE_DIR": str(site), "HANDBOOK_OFFLINE_ARCHIVE": archive},
    )


def example_inputs(name: str) -> Inputs:
    """What an example's run reads.

    Its folder, the snippet packages its wheel pulls in, the exporter, and the settings
    that choose its servers.
    """
    project = ROOT / "examples" / name
    wheel = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    table = wheel.get("tool", {}).get("hatch", {}).get("build", {}).get("targets", {})
    included = table.get("wheel", {}).get("force-include", {})
    packages = [
        Path(os.path.normpath(project / source)).relative_to(ROOT).as_posix() for source in included
    ]
    return Inputs(
        sources=(
            f"examples/{name}/*",
            *(f"{p}/*" for p in packages),
            "tools/handbook/*",
            "noxfile.py",
        ),
        environment=SERVICES,
    )


def _example_venv(session: nox.Session, location: Path) -> Path:
    """Create a brand-new virtual environment; uv's cache keeps this cheap."""
    shutil.rmtree(location, ignore_errors=True)
    session.run("uv", "venv", "--quiet", "--python", sys.executable, str(location), external=True)
    return location / "bin" / "python"


def _build_wheel(session: nox.Session, project: Path, out: Path) -> Path:
    shutil.rmtree(out, ignore_errors=True)
    session.run(
        "uv", "build", "--wheel", "--quiet", "--out-dir", str(out), str(project), external=True
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def prove_example(session: nox.Session, name: str) -> None:
    """Export an example, install the export's wheel fresh and run the export's suite.

    The exported project is what a reader downloads, and the wheel built from it is what
    they install; the wheel assembled from ``examples/NAME`` must hold the same modules
    and metadata, so one run of the suite proves both (ADR 19).
    """
    exported = STATE / "export" / name
    shutil.rmtree(exported, ignore_errors=True)
    session.run("python", "-m", "handbook", "export", name, str(exported), silent=True)
    dist = STATE / "dist" / name
    assembled = _build_wheel(session, ROOT / "examples" / name, dist / "assembled")
    wheel = _build_wheel(session, exported, dist / "exported")
    session.run("python", "-m", "handbook.wheels", str(assembled), str(wheel))
    python = _example_venv(session, STATE / "venvs" / name)
    groups = nox.project.dependency_groups(
        nox.project.load_toml(exported / "pyproject.toml"), "test"
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
        str(wheel),
        *groups,
        external=True,
    )
    # The fault tests write what they saw here; the reliability page is written from it.
    figures = fault_figures(name)
    figures.unlink(missing_ok=True)
    with session.chdir(exported):
        session.run(
            str(python),
            "-m",
            "pytest",
            "--quiet",
            "-p",
            "no:cacheprovider",
            env={"FAULT_FIGURES": str(figures)},
            external=True,
        )


def fault_figures(name: str) -> Path:
    """Where an example's fault tests write their figures (``FAULT_FIGURES``)."""
    return STATE / "figures" / f"{name}-faults.json"


@nox.session(allow_parallel=True)
def examples(session: nox.Session) -> None:
    """Export each example, build and install its wheel fresh, and run its whole suite there.

    ``nox -s examples -- NAME`` runs one. An example whose inputs have not changed since
    it last passed is skipped (ADR 20); the exported copy is what a reader downloads, and
    its wheel is checked to hold what the wheel assembled from ``examples/NAME`` holds.
    """
    chosen = session.posargs or EXAMPLES
    unknown = [name for name in chosen if name not in EXAMPLES]
    if unknown:
        session.error(f"no example {unknown[0]!r}; examples: {', '.join(EXAMPLES)}")
    stamps = {name: Stamp.of(ROOT, f"examples-{name}", example_inputs(name)) for name in chosen}
    due = [
        name
        for name, stamp in stamps.items()
        if stamp is None or not stamp.is_current(_context(session))
    ]
    if not due:
        session.skip("unchanged since it last passed")
    for name in sorted(set(chosen) - set(due)):
        session.log(f"{name}: unchanged since it last passed; skipped")
    install(session, "lint")
    for name in due:
        stamp = stamps[name]
        if stamp is not None:
            stamp.forget()
        prove_example(session, name)
        if stamp is not None:
            stamp.record(_context(session))


@nox.session
def export(session: nox.Session) -> None:
    """Write a standalone copy of an example: ``nox -s export -- NAME DEST``."""
    if len(session.posargs) != 2:  # noqa: PLR2004 - NAME and DEST
        session.error("usage: nox -s export -- NAME DEST")
    install(session, "lint")
    name, destination = session.posargs
    session.run("python", "-m", "handbook", "export", name, str(Path(destination).resolve()))


@nox.session
def container(session: nox.Session) -> None:
    """Build the exported shop's image with podman, run it and ask its health endpoint.

    Not part of ``nox``: the first run builds a Debian base with debootstrap (minutes),
    later ones reuse it from podman's store. Where podman cannot run, the test says why
    and skips; under ``CI=true`` it fails.
    """
    install(session, "container")
    session.run(
        "pytest",
        "tests/container",
        "-p",
        "no:handbook.pytest_plugin",
        "-o",
        "addopts=",
        "--quiet",
        "-rs",
        *session.posargs,
    )


@nox.session
def timings(session: nox.Session) -> None:
    """Time ``./noxw`` cold and warm as CI runs it, and a rebuild under ``serve``; write them.

    The runs have ``CI=true`` and this session's ``DATABASE_URL``; the table in
    CONTRIBUTING says which databases and whether the browser ran.
    """
    install(session, "test", "docs")
    session.run("python", "-m", "handbook.timings", "--nox", str(ROOT / "noxw"))


@nox.session
def reliability(session: nox.Session) -> None:
    """Run the shop's suite, fault tests included, and write the reliability and delivery pages.

    The fault tests start a PostgreSQL server and a RabbitMQ node of their own
    (``initdb``, ``pg_ctl`` and ``rabbitmq-server`` must be installed), stop, freeze and
    crash the database under load, overload the shop's pool, kill the relay and the
    consumer and restart the broker; ``docs/practices/reliability.md`` and
    ``docs/practices/delivery.md`` are written from what they saw and committed like any
    page. ``nox -s reliability -- --reuse`` writes the figures of the last ``nox -s
    examples`` run instead, if they come from the fault tests as they are now.
    """
    install(session, "lint")
    if "--reuse" not in session.posargs:
        prove_example(session, "shop")
    session.run("python", "-m", "handbook.reliability", str(fault_figures("shop")))


@nox.session
def lab(session: nox.Session) -> None:
    """The performance lab: load the installed shop on PostgreSQL with wrk, keep the data.

    Not part of ``nox``: it runs for about ten minutes and wants a quiet machine. Needs
    ``DATABASE_URL=postgresql+asyncpg://...`` and wrk (Debian's ``wrk`` package). It writes
    the JSON files under ``docs/performance-lab/data/`` that the lab's notebooks plot when
    the site is built, and the shop's benchmark page from them (ADR 95). Options after
    ``--`` go to the runner (``--parts``, ``--seconds``, ``--warmup``, ``--budget``).

    ``-- --baseline REF`` measures the costs of the shop as it was at commit ``REF``
    instead, into ``costs-before.json``: a git worktree of ``REF`` (in
    ``HANDBOOK_LAB_BASELINE_TREE``, ``.handbook/lab/baseline`` by default), that shop's
    wheel built from it and installed in a virtual environment of its own, and the
    runner's ``--baseline-python`` pointed at it.
    """
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        session.error("nox -s lab loads the shop on PostgreSQL: set DATABASE_URL")
    if shutil.which("wrk") is None:
        session.error("nox -s lab loads with wrk: install it (Debian: apt-get install wrk)")
    dist = STATE / "dist" / "shop-lab"
    shutil.rmtree(dist, ignore_errors=True)
    session.run(
        "uv", "build", "--wheel", "--quiet", "--out-dir", str(dist), "examples/shop", external=True
    )
    (wheel,) = dist.glob("*.whl")
    session.install(str(wheel), "-e", ".", "httpx")
    arguments = list(session.posargs)
    if "--baseline" in arguments:
        at = arguments.index("--baseline")
        reference = arguments[at + 1] if at + 1 < len(arguments) else ""
        if not reference or reference.startswith("-"):
            session.error("nox -s lab -- --baseline REF: name the commit to measure")
        del arguments[at : at + 2]
        python = baseline_shop(session, reference)
        arguments += ["--baseline-python", python, "--baseline-commit", reference]
    session.run("python", "-m", "handbook.lab.run", *arguments)


def baseline_shop(session: nox.Session, reference: str) -> str:
    """Install the shop of commit ``reference`` in an environment of its own: its Python.

    The commit is checked out in a git worktree (``HANDBOOK_LAB_BASELINE_TREE``, else
    ``.handbook/lab/baseline``), made once and reused while it holds that commit; its
    shop's wheel is built from it, as ``nox -s lab`` builds the current one.
    """
    tree = Path(os.environ.get("HANDBOOK_LAB_BASELINE_TREE", STATE / "lab" / "baseline"))
    wanted = session.run("git", "rev-parse", f"{reference}^{{commit}}", silent=True, external=True)
    if not tree.exists():
        session.run("git", "worktree", "add", "--detach", str(tree), reference, external=True)
    found = session.run("git", "-C", str(tree), "rev-parse", "HEAD", silent=True, external=True)
    if str(found).strip() != str(wanted).strip():
        session.error(f"{tree} holds {str(found).strip()}, not {reference}: remove it first")
    wheel = _build_wheel(session, tree / "examples" / "shop", STATE / "dist" / "shop-baseline")
    python = str(_example_venv(session, STATE / "lab" / "baseline-venv"))
    install_into = ("uv", "pip", "install", "--quiet", "--python", python)
    session.run(*install_into, str(wheel), "httpx", external=True)
    return python
