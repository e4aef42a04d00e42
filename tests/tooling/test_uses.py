"""Who used a declaration: names resolved as Python binds them, credited to who ran them.

Each case is a few small modules and a record of which test (by number) executed which
line at run time, as :func:`handbook.proof.build_proof` hands them to :class:`Uses`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from handbook.uses import Declaration, Uses

PORTS = "snippets/shop/ports.py"
PORTS_TEXT = '''\
"""Declarations only: they run when the module is imported."""

from typing import Protocol

PROBLEM_TYPES = {KeyError: 404}
ALL_PROBLEM_TYPES = (PROBLEM_TYPES,)
UNUSED = 1


class Store(Protocol):
    def get(self, key: str) -> str: ...


@staticmethod
class Decorated:
    pass
'''


def line_of(text: str, fragment: str) -> int:
    (number,) = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return number


def uses(modules: Mapping[str, str], ran: Mapping[tuple[str, str], set[int]]) -> Uses:
    """Read the modules; ``ran`` maps (path, a fragment of a line) to the tests that ran it."""
    texts = {path: textwrap.dedent(text) for path, text in {PORTS: PORTS_TEXT, **modules}.items()}
    by_line = {
        (path, line_of(texts[path], fragment)): tests for (path, fragment), tests in ran.items()
    }

    def runs(path: str, first: int, last: int) -> set[int]:
        return {
            test for line in range(first, last + 1) for test in by_line.get((path, line), set())
        }

    return Uses(texts, "snippets", runs)


def test_a_statement_naming_a_declaration_credits_the_tests_that_ran_it() -> None:
    handler = """\
        from shop.ports import PROBLEM_TYPES


        def status(error: Exception) -> int:
            return PROBLEM_TYPES[type(error)]


        def other() -> int:
            return 1
        """
    found = uses(
        {"snippets/shop/handler.py": handler},
        {
            ("snippets/shop/handler.py", "return PROBLEM_TYPES"): {1, 2},
            ("snippets/shop/handler.py", "return 1"): {3},
        },
    )

    assert found.users(PORTS, "PROBLEM_TYPES") == {1, 2}
    assert found.users(PORTS, "UNUSED") == set()


def test_module_attributes_and_package_re_exports_are_followed() -> None:
    package = "from shop.ports import Store\n"
    reader = """\
        import shop.ports
        from shop import ports as declared
        from shop import Store


        def read(key: str) -> object:
            first = shop.ports.PROBLEM_TYPES
            second = declared.ALL_PROBLEM_TYPES
            return first, second, Store
        """
    found = uses(
        {"snippets/shop/__init__.py": package, "snippets/shop/reader.py": reader},
        {
            ("snippets/shop/reader.py", "first = "): {1},
            ("snippets/shop/reader.py", "second = "): {2},
            ("snippets/shop/reader.py", "return first"): {3},
        },
    )

    assert found.users(PORTS, "ALL_PROBLEM_TYPES") == {2}
    # PROBLEM_TYPES: read directly by test 1, and held by ALL_PROBLEM_TYPES, read by test 2.
    assert found.users(PORTS, "PROBLEM_TYPES") == {1, 2}
    assert found.users(PORTS, "Store") == {3}


def test_a_name_a_function_binds_itself_is_not_the_declaration() -> None:
    shadowing = """\
        from shop.ports import PROBLEM_TYPES


        def given(PROBLEM_TYPES: dict[type, int]) -> int:
            return PROBLEM_TYPES[KeyError]


        def local() -> int:
            PROBLEM_TYPES = {KeyError: 500}
            return PROBLEM_TYPES[LookupError]


        def comprehension() -> list[int]:
            return [PROBLEM_TYPES for PROBLEM_TYPES in (1, 2)]
        """
    found = uses(
        {"snippets/shop/shadowing.py": shadowing},
        {
            ("snippets/shop/shadowing.py", "return PROBLEM_TYPES[KeyError]"): {1},
            ("snippets/shop/shadowing.py", "PROBLEM_TYPES = {KeyError: 500}"): {2},
            ("snippets/shop/shadowing.py", "return PROBLEM_TYPES[LookupError]"): {2},
            ("snippets/shop/shadowing.py", "return [PROBLEM_TYPES"): {3},
        },
    )

    assert found.users(PORTS, "PROBLEM_TYPES") == set()


def test_a_signature_credits_the_tests_that_ran_the_body() -> None:
    service = """\
        from shop.ports import Store


        class Service:
            def __init__(self, store: Store) -> None:
                self.store = store

            def unused(self) -> None:
                pass
        """
    found = uses(
        {"snippets/shop/service.py": service},
        {
            ("snippets/shop/service.py", "def __init__"): {9},  # the signature, not the body
            ("snippets/shop/service.py", "self.store = store"): {4},
            ("snippets/shop/service.py", "pass"): {5},
        },
    )

    assert found.users(PORTS, "Store") == {4}


def test_a_class_built_on_a_declaration_passes_on_its_users_and_its_runs() -> None:
    implementation = """\
        from dataclasses import dataclass

        from shop.ports import Store


        class MemoryStore(Store):
            def get(self, key: str) -> str:
                return key


        @dataclass
        class Holder:
            store: MemoryStore


        def make() -> Holder:
            return Holder(MemoryStore())
        """
    found = uses(
        {"snippets/shop/memory.py": implementation},
        {
            ("snippets/shop/memory.py", "return key"): {1},
            ("snippets/shop/memory.py", "return Holder("): {2},
        },
    )

    # Test 2 made a MemoryStore, directly and for a Holder. Test 1 ran its method: code
    # of a class built on Store, though not code naming MemoryStore.
    assert found.users("snippets/shop/memory.py", "MemoryStore") == {2}
    assert found.users(PORTS, "Store") == {1, 2}


def test_declarations_that_name_each_other_are_resolved_without_looping() -> None:
    cycle = """\
        from __future__ import annotations


        class Order:
            lines: list[Line]


        class Line:
            order: Order


        def total(line: Line) -> int:
            return 1
        """
    found = uses({"snippets/shop/cycle.py": cycle}, {("snippets/shop/cycle.py", "return 1"): {7}})

    assert found.users("snippets/shop/cycle.py", "Line") == {7}
    assert found.users("snippets/shop/cycle.py", "Order") == {7}


def test_a_test_file_uses_declarations_but_declares_none_by_module_name() -> None:
    test = """\
        from shop.ports import PROBLEM_TYPES


        def test_not_found() -> None:
            assert PROBLEM_TYPES[KeyError] == 404
        """
    found = uses(
        {"tests/snippets/test_ports.py": test},
        {("tests/snippets/test_ports.py", "assert PROBLEM_TYPES"): {3}},
    )

    assert found.users(PORTS, "PROBLEM_TYPES") == {3}
    assert [d.name for d in found.declarations("tests/snippets/test_ports.py")] == [
        "test_not_found"
    ]


def test_declarations_span_their_statement_from_the_first_decorator() -> None:
    found = uses({}, {})
    text = PORTS_TEXT

    assert found.declarations(PORTS) == [
        Declaration(
            "PROBLEM_TYPES", line_of(text, "PROBLEM_TYPES = {"), line_of(text, "PROBLEM_TYPES = {")
        ),
        Declaration(
            "ALL_PROBLEM_TYPES", line_of(text, "ALL_PROBLEM"), line_of(text, "ALL_PROBLEM")
        ),
        Declaration("UNUSED", line_of(text, "UNUSED"), line_of(text, "UNUSED")),
        Declaration("Store", line_of(text, "class Store"), line_of(text, "def get")),
        Declaration("Decorated", line_of(text, "@staticmethod"), line_of(text, "pass")),
    ]


def test_a_module_level_call_on_an_object_is_used_by_the_users_of_that_object() -> None:
    commands = """\
        import click

        from shop.ports import PROBLEM_TYPES


        @click.group()
        def cli() -> None:
            pass


        cli.add_command(other)
        PROBLEM_TYPES.update({ValueError: 422})
        print("a bare call changes no object a test could use")
        """
    test = """\
        from shop.commands import cli
        from shop.ports import PROBLEM_TYPES


        def test_cli() -> None:
            cli()


        def test_problem_types() -> None:
            assert PROBLEM_TYPES
        """
    found = uses(
        {"snippets/shop/commands.py": commands, "tests/test_commands.py": test},
        {
            ("tests/test_commands.py", "    cli()"): {1},
            ("tests/test_commands.py", "assert PROBLEM_TYPES"): {2},
        },
    )
    commands_path = "snippets/shop/commands.py"
    text = textwrap.dedent(commands)
    effects = [d for d in found.declarations(commands_path) if d.first > line_of(text, "pass")]
    assert effects == [
        Declaration("cli", line_of(text, "add_command"), line_of(text, "add_command")),
        Declaration("PROBLEM_TYPES", line_of(text, ".update("), line_of(text, ".update(")),
    ]
    assert found.users(commands_path, "cli") == {1}
    assert found.users(commands_path, "PROBLEM_TYPES") == {2}
