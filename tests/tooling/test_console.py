"""Console sessions on pages: parsed into steps, run in-process, compared with the page."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click
import pytest
from sybil import Document
from sybil.example import SybilFailure

from handbook.console import ConsoleParser, Step, load_command, parse_session, run_step


@click.command()
@click.argument("name")
@click.option("--shout", is_flag=True, help="Greet in capitals.")
def hello(name: str, shout: bool) -> None:
    """Greet NAME."""
    text = f"Hello, {name}!"
    click.echo(text.upper() if shout else text)


not_a_command = "just a string"

COMMANDS = {"hello": f"{__name__}:hello"}
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
