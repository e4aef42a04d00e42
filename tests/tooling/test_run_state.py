"""The background run of ``nox -s serve`` as the listings tell it (``handbook.run_state``)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

import markdown
import pytest

from handbook.listing import AWAITING_PROOF
from handbook.run_state import RunState, read_state, state_file, write_state

Writer = Callable[[Path, Mapping[str, str]], Path]

pytestmark = pytest.mark.usefixtures("on_page")  # as the MkDocs plugin names each page


def test_a_running_run_says_the_proof_is_pending() -> None:
    assert RunState(running=True).sentence() == "Proof pending: tests running."


def test_a_failed_run_names_its_failed_tests_and_its_log() -> None:
    few = RunState(running=False, failed=("tests/a.py::test_x",), log=".handbook/serve/pytest.log")
    many = RunState(running=False, failed=tuple(f"t.py::test_{n}" for n in range(8)), log="l")
    early = RunState(running=False, failed=(), log="l")

    assert few.sentence() == (
        "Not proven: the last test run failed (tests/a.py::test_x); see .handbook/serve/pytest.log."
    )
    assert many.sentence() == (
        "Not proven: the last test run failed (t.py::test_0, t.py::test_1, t.py::test_2, "
        "t.py::test_3, t.py::test_4 and 3 more); see l."
    )
    assert early.sentence() == "Not proven: the last test run stopped early; see l."


def test_the_state_is_kept_beside_the_proof_and_rewritten_only_when_it_changes(
    tmp_path: Path,
) -> None:
    path = state_file(tmp_path / ".handbook" / "proof.json")
    failed = RunState(running=False, failed=("t.py::test_x",), log="l")

    first = write_state(path, RunState(running=True))
    written = path.stat().st_mtime_ns
    again = write_state(path, RunState(running=True))
    unchanged = path.stat().st_mtime_ns
    changed = write_state(path, failed)

    assert path == tmp_path / ".handbook" / "serve-run.json"
    assert (first, again, changed) == (True, False, True)
    assert unchanged == written
    assert read_state(path) == failed
    assert list(path.parent.iterdir()) == [path]  # nothing half-written left beside it


def test_no_state_or_an_unreadable_one_is_none(tmp_path: Path) -> None:
    broken = tmp_path / "serve-run.json"
    broken.write_text('{"failed": []}', encoding="utf-8")

    assert read_state(tmp_path / "missing.json") is None
    assert read_state(broken) is None


def render(root: Path, page: str) -> str:
    converter = markdown.Markdown(
        extensions=["handbook.listing", "pymdownx.superfences", "md_in_html"],
        extension_configs={"handbook.listing": {"root": str(root)}},
    )
    return converter.convert(page)


@pytest.fixture
def awaiting(caplog: pytest.LogCaptureFixture) -> Callable[[], list[bool]]:
    """Whether each warning of the listing extension is flagged as waiting for a run."""
    caplog.set_level(logging.WARNING, logger="mkdocs.handbook")
    return lambda: [bool(getattr(record, AWAITING_PROOF, False)) for record in caplog.records]


LISTING = "/// listing | snippets/demo/money.py#add\n///\n"


def test_without_a_run_a_listing_without_proof_keeps_its_sentence(
    repo: Path, awaiting: Callable[[], list[bool]]
) -> None:
    html = render(repo, LISTING)

    assert "Not proven yet: the tests have not run." in html
    assert awaiting() == [True]  # still a warning, which fails a strict build


def test_while_the_tests_run_a_listing_without_proof_says_so(
    repo: Path, awaiting: Callable[[], list[bool]]
) -> None:
    write_state(state_file(repo / ".handbook" / "proof.json"), RunState(running=True))

    html = render(repo, LISTING)

    assert '<p class="listing-proof listing-proof--pending">Proof pending: tests running.</p>' in (
        html
    )
    assert awaiting() == [True]


def test_after_a_failed_run_a_listing_whose_file_changed_names_the_failed_tests(
    proved_repo: Path, write: Writer, awaiting: Callable[[], list[bool]]
) -> None:
    money = proved_repo / "snippets" / "demo" / "money.py"
    write(proved_repo, {"snippets/demo/money.py": money.read_text("utf-8") + "\n# edited\n"})
    failed = RunState(running=False, failed=("tests/test_money.py::test_add",), log="run.log")
    write_state(state_file(proved_repo / ".handbook" / "proof.json"), failed)

    html = render(proved_repo, LISTING)

    assert (
        "Not proven: the last test run failed (tests/test_money.py::test_add); see run.log." in html
    )
    assert awaiting() == [True]


def test_a_listing_whose_shown_line_ran_under_no_test_waits_for_no_run(
    repo: Path,
    write_proof: Callable[..., Path],
    line_of: Callable[[Path, str], int],
    awaiting: Callable[[], list[bool]],
) -> None:
    total = line_of(repo / "snippets" / "demo" / "money.py", "total = a + b")
    write_proof(repo, [], {"snippets/demo/money.py": {"statements": [total], "lines": {}}})
    write_state(state_file(repo / ".handbook" / "proof.json"), RunState(running=True))

    html = render(repo, LISTING)

    assert f"Not proven: line(s) {total} ran under no test." in html
    assert awaiting() == [False]  # another run would not change it: it is said every time
