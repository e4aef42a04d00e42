"""The troubleshooting guide's parts: entries from what is declared, refusals, Markdown."""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import click
import pytest

from infrastructure_kernel.configuration_errors import ConfigurationError
from infrastructure_kernel.http.problems import ProblemType
from infrastructure_kernel.remedies import Explained, Remedy
from infrastructure_kernel.troubleshooting import (
    Entry,
    UnexplainedError,
    declared_problem_types,
    error_entries,
    guide_markdown,
    problem_entries,
)

SNIPPETS = Path(__file__).parents[3] / "snippets"
GONE = ProblemType(410, "gone", "Gone for good")
BLANK = ProblemType(404, "", "Not Found")
REMEDIES = {
    "gone": Remedy("It was deleted.", "Stop asking for it."),
    "404": Remedy("No such path.", "Start from the root."),
}


def test_problem_types_become_entries_in_status_order_each_once() -> None:
    entries = problem_entries([GONE, BLANK, GONE], "tag:x,2025:problems/", REMEDIES)

    assert entries == [
        Entry(
            "404 Not Found",
            "a 404 problem document of type `about:blank`",
            "No such path.",
            "Start from the root.",
        ),
        Entry(
            "410 Gone for good",
            "a 410 problem document of type `tag:x,2025:problems/gone`",
            "It was deleted.",
            "Stop asking for it.",
        ),
    ]


def test_a_problem_type_without_a_remedy_is_refused_by_name() -> None:
    teapot = ProblemType(418, "teapot", "I am a teapot")

    with pytest.raises(
        UnexplainedError, match=r"no cause and fix written for: problem type 'teapot'"
    ):
        problem_entries([GONE, teapot], "tag:x,2025:problems/", REMEDIES)


@pytest.fixture
def newcontext() -> Iterator[ModuleType]:
    """A loaded module of a package ``newcontext``, as a new context's problems module is."""
    module = ModuleType("newcontext.presentation.api.problems")
    module.GONE = GONE  # type: ignore[attr-defined]
    module.REMEDIES = {"gone": REMEDIES["gone"]}  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    yield module
    del sys.modules[module.__name__]


def test_a_loaded_modules_problem_types_and_remedies_are_found(newcontext: ModuleType) -> None:
    kinds, remedies = declared_problem_types({"newcontext"})

    assert (kinds, remedies) == ([GONE], {"gone": REMEDIES["gone"]})
    assert newcontext.__name__ in sys.modules


def error_class(name: str, base: type[Exception], **remedy: str) -> type[Exception]:
    """A class as a module of a package ``newcontext`` would define it."""
    bases = (Explained, base) if remedy else (base,)
    namespace = {"__module__": "newcontext.presentation.cli.things", "__doc__": f"{name}.\n\nMore."}
    return type(name, bases, {**namespace, **remedy})


def test_error_classes_become_entries_by_name() -> None:
    remedy = {"looks_like": "Error: no such thing", "cause": "A typo.", "fix": "Spell it."}
    thing = error_class("NoSuchThingError", click.ClickException, **remedy)

    assert error_entries(click.ClickException, {"newcontext"}) == [
        Entry("NoSuchThingError", "`Error: no such thing`", "A typo.", "Spell it.")
    ]
    del thing


def test_an_error_class_without_its_cause_and_fix_is_refused_by_name() -> None:
    bare = error_class("BareError", ConfigurationError)
    half = error_class("HalfError", ConfigurationError, looks_like="Error: half", cause="?")

    with pytest.raises(UnexplainedError) as refused:
        error_entries(ConfigurationError, {"newcontext"})

    assert "newcontext.presentation.cli.things.BareError" in str(refused.value)
    assert "newcontext.presentation.cli.things.HalfError" in str(refused.value)
    del bare, half


def test_the_guide_is_a_heading_per_section_and_per_entry() -> None:
    entry = Entry("410 Gone", "a 410 problem document", "Deleted.", "Stop.")

    assert guide_markdown({"Problems": [entry]}) == [
        "## Problems",
        "",
        "### 410 Gone",
        "",
        "**What you see:** a 410 problem document",
        "",
        "**Cause:** Deleted.",
        "",
        "**Fix:** Stop.",
        "",
    ]


# --8<-- [start:no-bare-raises]
BARE = {"ClickException", "UsageError", "BadParameter", "ConfigurationError"}


def bare_raises(path: Path, root: Path = SNIPPETS) -> Iterator[str]:
    """Each ``raise`` of Click's own error classes, or of ConfigurationError itself."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            called = node.exc.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in BARE:
                yield f"{path.relative_to(root)}:{node.lineno}: raise {name}(...)"


def test_every_error_a_snippet_raises_carries_its_cause_and_fix() -> None:
    found = [line for path in sorted(SNIPPETS.rglob("*.py")) for line in bare_raises(path)]

    assert not found, "raise an Explained subclass instead, with its cause and fix:\n" + "\n".join(
        found
    )


# --8<-- [end:no-bare-raises]


def test_the_check_sees_a_bare_raise(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text(
        "import click\n\n\ndef f() -> None:\n    raise click.UsageError('no')\n"
        "    raise ConfigurationError('no')\n    raise ValueError('fine')\n",
        encoding="utf-8",
    )

    assert list(bare_raises(module, tmp_path)) == [
        "probe.py:5: raise UsageError(...)",
        "probe.py:6: raise ConfigurationError(...)",
    ]
