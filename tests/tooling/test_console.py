"""Console sessions on pages: parsed into steps, run in-process, compared with the page."""

from __future__ import annotations

import os
import textwrap
import uuid
from pathlib import Path

import click
import pytest
from sybil import Document
from sybil.example import SybilFailure

from handbook.console import (
    ConsoleParser,
    Step,
    load_command,
    matches,
    parse_session,
    run_step,
)
from handbook.coverage_options import SERVICE_URLS


@click.command()
@click.argument("name")
@click.option("--shout", is_flag=True, help="Greet in capitals.")
def hello(name: str, shout: bool) -> None:
    """Greet NAME."""
    text = f"Hello, {name}!"
    click.echo(text.upper() if shout else text)


@click.command()
@click.argument("name")
def remember(name: str) -> None:
    """Add NAME to ./names.txt in the working directory, then print every name there."""
    names = Path("names.txt")
    with names.open("a", encoding="utf-8") as file:
        file.write(f"{name}\n")
    services = [name for name in SERVICE_URLS if name in os.environ] or ["no services"]
    click.echo(f"{' '.join(services)}: {names.read_text().split()}")


@click.command()
def level() -> None:
    """Print LEVEL from the environment."""
    click.echo(os.environ.get("LEVEL", "no LEVEL"))


@click.command()
def identify() -> None:
    """Print a table whose ids differ from run to run."""
    click.echo("ID                                    NAME")
    click.echo(f"{uuid.uuid4()}  Ada")


not_a_command = "just a string"

COMMANDS = {
    "hello": f"{__name__}:hello",
    "remember": f"{__name__}:remember",
    "identify": f"{__name__}:identify",
    "level": f"{__name__}:level",
}
"""Registered as ``[tool.handbook.console]`` would: a name and an importable target."""


def test_parse_session_into_steps() -> None:
    session = textwrap.dedent(
        """\
        $ hello Ada
        Hello, Ada!
        $ hello 'Ada Lovelace' --shout

        HELLO, ADA LOVELACE!
        $ hello
        """
    )

    assert parse_session(session) == [
        Step(("hello", "Ada"), ("Hello, Ada!",)),
        Step(("hello", "Ada Lovelace", "--shout"), ("", "HELLO, ADA LOVELACE!")),
        Step(("hello",), ()),
    ]


def test_variables_before_a_command_are_set_for_that_command_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEVEL", raising=False)
    session = "$ LEVEL='very high' level\nvery high\n$ level\nno LEVEL\n$ X= LEVEL=2 level\n2\n"

    steps = parse_session(session)
    for example in page(tmp_path, session):
        example.evaluate()

    assert steps[0] == Step(("level",), ("very high",), (("LEVEL", "very high"),))
    assert steps[2].environment == (("X", ""), ("LEVEL", "2"))
    assert "LEVEL" not in os.environ


def test_a_session_must_start_with_a_command() -> None:
    with pytest.raises(ValueError, match=r"starts with '\$ command', not 'Hello, Ada!'"):
        parse_session("Hello, Ada!\n$ hello Ada\n")


def test_load_command() -> None:
    assert load_command(COMMANDS["hello"]) is hello
    with pytest.raises(TypeError, match="not_a_command is not a Click command"):
        load_command(f"{__name__}:not_a_command")


def test_run_step_in_process() -> None:
    assert run_step(Step(("hello", "Ada"), ()), COMMANDS) == ["Hello, Ada!"]
    assert run_step(Step(("hello", "--shout", "Ada"), ()), COMMANDS) == ["HELLO, ADA!"]
    assert run_step(Step(("hello", "--help"), ()), COMMANDS) == [
        "Usage: hello [OPTIONS] NAME",
        "",
        "  Greet NAME.",
        "",
        "Options:",
        "  --shout  Greet in capitals.",
        "  --help   Show this message and exit.",
    ]


def test_run_step_of_an_unregistered_command() -> None:
    with pytest.raises(
        LookupError, match=r"'bye' is not registered under \[tool.handbook.console\]"
    ):
        run_step(Step(("bye",), ()), COMMANDS)


def page(tmp_path: Path, session: str) -> Document:
    path = tmp_path / "page.md"
    path.write_text(f"# Greetings\n\nSay hello:\n\n```console\n{session}```\n", encoding="utf-8")
    return Document.parse(str(path), ConsoleParser(COMMANDS))


def test_a_session_whose_output_matches_passes(tmp_path: Path) -> None:
    document = page(tmp_path, "$ hello Ada\nHello, Ada!\n$ hello --shout Bob\nHELLO, BOB!   \n")

    examples = list(document)

    assert [example.line for example in examples] == [5]
    for example in examples:
        example.evaluate()


def test_a_mismatch_names_the_command_and_both_outputs(tmp_path: Path) -> None:
    document = page(tmp_path, "$ hello Ada\nHello, Ada!\n$ hello 'Bob Smith'\nHello, Bobby!\n")
    (example,) = list(document)

    with pytest.raises(SybilFailure) as caught:
        example.evaluate()

    assert caught.value.result == (
        "'$ hello 'Bob Smith'' printed:\nHello, Bob Smith!\n\nbut the page shows:\nHello, Bobby!"
    )
    assert f"{tmp_path / 'page.md'}, line 5" in str(caught.value)


def test_a_session_that_does_not_start_with_a_command_fails_to_parse(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a console session starts with"):
        page(tmp_path, "Hello, Ada!\n")


def test_each_session_runs_in_a_fresh_directory_of_its_own_without_service_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://somewhere/else")
    monkeypatch.setenv("REDIS_URL", "redis://somewhere/0")
    monkeypatch.setenv("AMQP_URL", "amqp://somewhere/")
    monkeypatch.chdir(tmp_path)
    session = "$ remember ada\nno services: ['ada']\n$ remember bob\nno services: ['ada', 'bob']\n"

    second = tmp_path / "second"
    second.mkdir()
    for example in [*page(tmp_path, session), *page(second, session)]:
        example.evaluate()  # the second block starts from nothing again

    assert not (tmp_path / "names.txt").exists()
    assert os.environ["DATABASE_URL"] == "postgresql://somewhere/else"


def test_an_ellipsis_on_the_page_stands_for_what_changes_from_run_to_run(tmp_path: Path) -> None:
    header, row = (
        "ID                                    NAME",
        "\u2026                                     Ada",
    )
    session = f"$ identify\n{header}\n{row}\n"

    for example in page(tmp_path, session):
        example.evaluate()


@pytest.mark.parametrize(
    ("expected", "actual", "verdict"),
    [
        (["a \u2026 c"], ["a b c"], True),
        (["a \u2026 c"], ["a  b\tb  c"], True),
        (["\u2026"], ["anything", "at all"], True),
        (["a \u2026 c \u2026 e"], ["a b c d e"], True),
        (["a \u2026 c"], ["a b d"], False),
        (["a \u2026 c"], ["x b c"], False),
        (["a \u2026 c \u2026 e"], ["a b e"], False),
        (["abc\u2026bc"], ["abc"], False),  # the two ends may not overlap
        (["a  b"], ["a b"], False),  # without an ellipsis, white space counts exactly
    ],
)
def test_matching_with_an_ellipsis(expected: list[str], actual: list[str], verdict: bool) -> None:
    assert matches(expected, actual) is verdict
