"""The proof: per-test coverage of a real test run, turned into who ran which line.

``proved_template`` (see conftest) ran the tiny handbook's tests in a subprocess, as
``nox -s tests`` does: pytest with the handbook plugin, ``--cov --cov-context=test`` and
``--handbook-locations``. These tests read that coverage data with :func:`build_proof`.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import coverage
import pytest

from handbook.proof import PROOF_VERSION, Proof, StaleProofError, build_proof
from handbook.proof import TestRef as Ref  # pytest would try to collect "TestRef"

MONEY = "snippets/demo/money.py"
RATES = "snippets/demo/rates.py"
CURRENCIES = "snippets/demo/currencies.py"

TEST_ADD = Ref("test", "tests/test_money.py::test_add", "tests/test_money.py", 4)
TEST_EVEN = Ref("test", "tests/test_money.py::test_split_even", "tests/test_money.py", 8)
TEST_UNEVEN = Ref("test", "tests/test_money.py::test_split_uneven", "tests/test_money.py", 12)
TEST_EURO = Ref("test", "tests/unit/test_rates.py::test_euro", "tests/unit/test_rates.py", 1)
TEST_CENTS = Ref(
    "test", "tests/test_currencies.py::test_euros_have_cents", "tests/test_currencies.py", 1
)
IMPORT_MONEY = Ref("import", "tests/test_money.py", "tests/test_money.py", 1)
IMPORT_UNIT = Ref("import", "tests/unit/conftest.py", "tests/unit/conftest.py", 1)
IMPORT_ROOT = Ref("import", "tests/conftest.py", "tests/conftest.py", 1)


@pytest.fixture
def doctest(proved_repo: Path, line_of: Callable[[Path, str], int]) -> Ref:
    """The page's doctest example that calls ``add``: Sybil names it by its 1-based line."""
    line = line_of(proved_repo / "docs" / "index.md", ">>> add(2, 3)")
    return Ref("doctest", f"docs/index.md::line:{line},column:1", "docs/index.md", line)


def build(root: Path) -> dict[str, Any]:
    state = root / ".handbook"
    return build_proof(root, state / ".coverage", state / "tests.json", ["snippets"])


def named(document: dict[str, Any], index: int) -> list[str]:
    """The ids of one set of the document's tests, sorted ("" for no one's name)."""
    ids = [test["id"] + "|" + test["kind"] for test in document["tests"]]
    return sorted(ids[ref] if ref >= 0 else "" for ref in document["sets"][index])


def by_name(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each set of test indexes replaced by the tests' ids, sorted.

    The order of the ``tests`` list follows coverage's order of contexts, which need not
    be the same from one process to the next.
    """
    return {
        "version": document["version"],
        "tests": sorted(test["id"] + "|" + test["kind"] for test in document["tests"]),
        "files": {
            path: {
                **entry,
                "lines": {line: named(document, index) for line, index in entry["lines"].items()},
                "declarations": [
                    [*row[:3], *(named(document, index) for index in row[3:])]
                    for row in entry.get("declarations", [])
                ],
            }
            for path, entry in document["files"].items()
        },
    }


@pytest.fixture
def document(proved_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    # Build from another working directory: coverage data holds paths relative to the
    # repository root, which need not be where the proof is built from.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return build(proved_repo)


@pytest.fixture
def proof(proved_repo: Path, document: dict[str, Any]) -> Proof:
    return Proof(proved_repo, document)


def test_the_plugin_writes_where_each_test_is(proved_repo: Path, doctest: Ref) -> None:
    locations = json.loads((proved_repo / ".handbook" / "tests.json").read_text("utf-8"))
    imported = doctest.line - 1  # the example before: '>>> from demo.money import add'

    start_up = {label: where for label, where in locations.items() if label.startswith("<")}
    # pytest loads the test paths' own conftests before collecting: no collector imports them
    assert sorted(start_up.values()) == [["docs/conftest.py", 1], ["tests/conftest.py", 1]]
    assert all(re.fullmatch(r"<start-up:\d+>", label) for label in start_up)
    assert {label: where for label, where in locations.items() if label not in start_up} == {
        f"docs/index.md::line:{imported},column:1": ["docs/index.md", imported],
        doctest.id: [doctest.path, doctest.line],
        "tests/test_currencies.py::test_euros_have_cents": ["tests/test_currencies.py", 1],
        "tests/test_money.py::test_add": ["tests/test_money.py", 4],
        "tests/test_money.py::test_split_even": ["tests/test_money.py", 8],
        "tests/test_money.py::test_split_uneven": ["tests/test_money.py", 12],
        "tests/unit/test_rates.py::test_euro": ["tests/unit/test_rates.py", 1],
    }


def test_document_names_every_test_and_every_measured_file(
    document: dict[str, Any], doctest: Ref
) -> None:
    assert document["version"] == PROOF_VERSION
    assert sorted(Ref(**test) for test in document["tests"]) == sorted(
        [
            *(TEST_ADD, TEST_EVEN, TEST_UNEVEN, TEST_EURO, TEST_CENTS, doctest),
            *(IMPORT_MONEY, IMPORT_UNIT, IMPORT_ROOT),
        ]
    )
    assert sorted(document["files"]) == ["snippets/demo/__init__.py", CURRENCIES, MONEY, RATES]


def test_a_body_line_is_credited_to_exactly_the_tests_that_ran_it(
    proved_repo: Path, proof: Proof, line_of: Callable[[Path, str], int], doctest: Ref
) -> None:
    source = proved_repo / MONEY
    total = line_of(source, "total = a + b")
    divmod_line = line_of(source, "share, rest = divmod")
    uneven = line_of(source, "return [share + 1]")
    even = line_of(source, "return [share] * parts")

    assert proof.lines(MONEY, (total,)).tests == (doctest, TEST_ADD)
    assert proof.lines(MONEY, (divmod_line,)).tests == (TEST_EVEN, TEST_UNEVEN)
    assert proof.lines(MONEY, (uneven,)).tests == (TEST_UNEVEN,)
    assert proof.lines(MONEY, (even,)).tests == (TEST_EVEN,)
    assert proof.lines(MONEY, (total, uneven)).tests == (doctest, TEST_ADD, TEST_UNEVEN)


def test_def_and_class_lines_are_credited_to_the_importing_module(
    proved_repo: Path, proof: Proof, line_of: Callable[[Path, str], int]
) -> None:
    source = proved_repo / MONEY
    definitions = (
        line_of(source, "def add("),
        line_of(source, "def refund("),
        line_of(source, "class Ledger:"),
        line_of(source, "def __init__("),
    )

    result = proof.lines(MONEY, definitions)

    assert result.executable == definitions
    assert result.unrun == ()
    assert result.tests == ()
    assert result.importers == (IMPORT_MONEY,)


def test_code_imported_by_a_conftest_in_a_subfolder_names_that_conftest(
    proved_repo: Path, proof: Proof, line_of: Callable[[Path, str], int]
) -> None:
    source = proved_repo / RATES

    definition = proof.lines(RATES, (line_of(source, "def rate("),))
    body = proof.lines(RATES, (line_of(source, 'return {"EUR"'),))

    assert definition.importers == (IMPORT_UNIT,)
    assert definition.tests == ()
    assert body.tests == (TEST_EURO,)
    assert (proved_repo / IMPORT_UNIT.path).is_file()


def test_code_imported_by_a_conftest_loaded_before_collection_names_that_conftest(
    proved_repo: Path, document: dict[str, Any], line_of: Callable[[Path, str], int]
) -> None:
    # tests/conftest.py is loaded with pytest's start-up, before any collector runs.
    declaration = line_of(proved_repo / CURRENCIES, "MINOR_UNITS = {")
    lines = document["files"][CURRENCIES]["lines"]

    assert named(document, lines[str(declaration)]) == [f"{IMPORT_ROOT.id}|import"]
    # Nothing, in any file, ran under no one's name.
    assert all(-1 not in refs for refs in document["sets"])


def test_a_declaration_is_proven_by_the_tests_that_ran_code_naming_it(
    proved_repo: Path, proof: Proof, line_of: Callable[[Path, str], int]
) -> None:
    # MINOR_UNITS runs only at import; test_euros_have_cents's fixture ran minor_units,
    # whose body reads it.
    source = proved_repo / CURRENCIES
    region = range(line_of(source, "[start:currencies]"), line_of(source, "[end:currencies]"))

    result = proof.lines(CURRENCIES, tuple(region))

    assert result.executable == (
        line_of(source, "MINOR_UNITS = {"),
        line_of(source, '"""Digits after'),  # a string under a name is a statement too
    )
    assert result.tests == ()
    assert result.importers == (IMPORT_ROOT,)
    assert result.declared == ("MINOR_UNITS",)
    assert result.users == (TEST_CENTS,)


def test_a_region_that_starts_inside_a_statement_is_proven_as_that_statement(
    proved_repo: Path, proof: Proof, line_of: Callable[[Path, str], int]
) -> None:
    source = proved_repo / CURRENCIES

    result = proof.lines(CURRENCIES, (line_of(source, '"JPY": 0'),))

    assert result.executable == (line_of(source, "MINOR_UNITS = {"),)
    assert result.unrun == ()
    assert (result.importers, result.declared, result.users) == (
        (IMPORT_ROOT,),
        ("MINOR_UNITS",),
        (TEST_CENTS,),
    )


def test_lines_a_test_executed_name_no_declarations(
    proved_repo: Path, proof: Proof, line_of: Callable[[Path, str], int]
) -> None:
    # Users are looked for only when no test executed the shown lines.
    source = proved_repo / CURRENCIES

    result = proof.lines(CURRENCIES, (line_of(source, "return MINOR_UNITS[currency]"),))

    assert result.tests == (TEST_CENTS,)
    assert (result.declared, result.users) == ((), ())


def test_lines_no_test_ran_are_unrun(
    proved_repo: Path, proof: Proof, line_of: Callable[[Path, str], int], doctest: Ref
) -> None:
    source = proved_repo / MONEY
    count = len(source.read_text("utf-8").splitlines())

    result = proof.lines(MONEY, tuple(range(1, count + 1)))

    assert result.unrun == (line_of(source, "return -amount"), line_of(source, "self.balance = 0"))
    assert line_of(source, '"""Add two amounts."""') not in result.executable
    assert line_of(source, "# --8<-- [start:add]") not in result.executable
    assert result.tests == (doctest, TEST_ADD, TEST_EVEN, TEST_UNEVEN)
    assert result.importers == (IMPORT_MONEY,)


def test_editing_the_file_afterwards_makes_the_proof_stale(proved_repo: Path, proof: Proof) -> None:
    source = proved_repo / MONEY
    source.write_text(source.read_text("utf-8") + "\n# an edit\n", encoding="utf-8")

    with pytest.raises(StaleProofError, match=MONEY):
        proof.lines(MONEY, (9,))


def test_measures_only_the_measured_files(proof: Proof) -> None:
    assert proof.measures(MONEY)
    assert not proof.measures("tools/handbook/proof.py")


def test_load_round_trip_and_refusals(
    proved_repo: Path, document: dict[str, Any], tmp_path: Path, doctest: Ref
) -> None:
    path = tmp_path / "proof.json"

    assert Proof.load(proved_repo, path) is None
    path.write_text(json.dumps({**document, "version": PROOF_VERSION + 1}), encoding="utf-8")
    assert Proof.load(proved_repo, path) is None
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = Proof.load(proved_repo, path)
    assert loaded is not None
    assert loaded.lines(MONEY, (9,)).tests == (doctest, TEST_ADD)


def test_the_cli_proof_matches_the_in_process_one(
    proved_repo: Path, document: dict[str, Any]
) -> None:
    written = json.loads((proved_repo / ".handbook" / "proof.json").read_text("utf-8"))

    assert written.pop("fingerprint")
    assert by_name(written) == by_name(document)


def test_a_proof_from_part_of_the_suite_records_no_fingerprint(
    proved_repo: Path, run: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    # nox reuses a proof whose fingerprint matches the sources; a subset's must never match.
    result = run(proved_repo, "-m", "handbook", "proof", "--partial")
    written = json.loads((proved_repo / ".handbook" / "proof.json").read_text("utf-8"))

    assert result.returncode == 0, result.stderr
    assert written["fingerprint"] is None
    assert written["tests"]


def test_lines_run_before_any_test_module_count_as_run_under_no_name(
    proved_repo: Path, tmp_path: Path
) -> None:
    data_file = tmp_path / "crafted.coverage"
    data = coverage.CoverageData(basename=str(data_file))
    data.set_context("")
    data.add_lines({MONEY: [3]})
    data.set_context("|import")  # the session itself collecting, before any module
    data.add_lines({MONEY: [7]})
    data.set_context("tests/test_money.py::test_add|run")
    data.add_lines({MONEY: [9, 10]})
    data.write()
    locations = tmp_path / "tests.json"
    locations.write_text(json.dumps({TEST_ADD.id: [TEST_ADD.path, 4]}), encoding="utf-8")

    document = build_proof(proved_repo, data_file, locations, ["snippets"])
    result = Proof(proved_repo, document).lines(MONEY, (3, 7, 9, 10))

    assert document["tests"] == [
        {"kind": "test", "id": TEST_ADD.id, "path": TEST_ADD.path, "line": 4}
    ]
    lines = document["files"][MONEY]["lines"]
    assert {line: document["sets"][index] for line, index in lines.items()} == {
        "3": [-1],
        "7": [-1],
        "9": [0],
        "10": [0],
    }
    assert result.unrun == ()
    assert result.tests == (TEST_ADD,)
    assert result.importers == ()


def test_a_file_no_test_imported_is_entirely_unrun(
    proved_repo: Path, write: Callable[[Path, dict[str, str]], Path]
) -> None:
    write(proved_repo, {"snippets/demo/orphan.py": "def orphan() -> int:\n    return 1\n"})

    document = build(proved_repo)

    assert document["files"]["snippets/demo/orphan.py"]["statements"] == [1, 2]
    assert Proof(proved_repo, document).lines("snippets/demo/orphan.py", (1, 2)).unrun == (1, 2)


def test_labels() -> None:
    assert TEST_ADD.label == "test_add"
    assert IMPORT_UNIT.label == "tests/unit/conftest.py"
    assert Ref("doctest", "docs/page.md::line:12,column:1", "docs/page.md", 12).label == (
        "session at line 12"
    )


def test_a_doctest_is_named_by_the_line_of_its_example(
    proved_repo: Path, document: dict[str, Any]
) -> None:
    (doctest,) = [Ref(**test) for test in document["tests"] if test["kind"] == "doctest"]
    lines = (proved_repo / doctest.path).read_text("utf-8").splitlines()

    assert lines[doctest.line - 1] == ">>> add(2, 3)"
    assert (doctest.path, doctest.label) == ("docs/index.md", f"session at line {doctest.line}")
