"""The layout check: each module where the rule puts it, or a problem naming the rule."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from handbook.__main__ import main
from handbook.layout import Layout, check_layout, compile_pattern

ROOT = Path(__file__).resolve().parents[2]
RULE = "the house layout (style guide, 'Where code lives')"
Writer = Callable[[Path, Mapping[str, str]], Path]

PYPROJECT = textwrap.dedent(
    """
    [tool.handbook.layout.kinds]
    context = [
        "__init__.py",
        "domain/__init__.py",
        "domain/errors.py",
        "domain/events/__init__.py",
        "domain/events/{aggregate}_events.py",
        "application/__init__.py",
        "application/use_cases/__init__.py",
        "application/use_cases/{verb}_{noun}.py",
        "application/interfaces/{port}.py",
    ]
    deployable = [
        "__init__.py",
        "bootstrap.py",
        "infrastructure/database/migrations/versions/v{number}_{change}.py",
    ]
    kernel = ["__init__.py", "{building_block}.py"]

    [tool.handbook.layout.packages]
    billing = ["context"]
    platform = ["deployable"]
    both = ["context", "deployable"]
    kernel = ["kernel"]
    """
)

GOOD = {
    "pyproject.toml": PYPROJECT,
    "snippets/billing/__init__.py": "",
    "snippets/billing/domain/__init__.py": "",
    "snippets/billing/domain/errors.py": "",
    "snippets/billing/domain/events/__init__.py": "",
    "snippets/billing/domain/events/invoice_events.py": "",
    "snippets/billing/application/__init__.py": "",
    "snippets/billing/application/use_cases/__init__.py": '"""Use cases."""\n',
    "snippets/billing/application/use_cases/send_invoice.py": (
        "async def send_invoice() -> None:\n    pass\n"
    ),
    "snippets/platform/__init__.py": "",
    "snippets/platform/bootstrap.py": "",
    "snippets/platform/infrastructure/database/migrations/versions/v0001_invoices.py": "",
    "snippets/both/__init__.py": "",
    "snippets/both/bootstrap.py": "",
    "snippets/both/domain/errors.py": "",
    "snippets/kernel/__init__.py": "",
    "snippets/kernel/money.py": "",
    "snippets/kernel/__pycache__/stale.py": "",
    "snippets/.cache/stray.py": "",
}


@pytest.fixture
def good(tmp_path: Path, write: Writer) -> Path:
    return write(tmp_path / "repo", GOOD)


def problems(root: Path) -> list[str]:
    return [str(problem) for problem in check_layout(root, "snippets")]


def test_every_example_system_of_the_handbook_follows_the_layout() -> None:
    assert problems(ROOT) == []


def test_modules_in_their_places_pass(good: Path) -> None:
    assert problems(good) == []


def test_a_package_of_two_kinds_may_use_the_paths_of_both() -> None:
    layout = Layout(kinds={"a": ["x.py"], "b": ["y.py"]}, packages={"both": ["a", "b"]})

    assert layout.patterns("both") == ["x.py", "y.py"]


def test_a_module_outside_the_layout_names_the_rule_of_its_folder(
    good: Path, write: Writer
) -> None:
    write(good, {"snippets/billing/application/handlers.py": ""})

    assert problems(good) == [
        "snippets/billing/application/handlers.py:0: 'application/handlers.py' breaks "
        f"{RULE} of a context (billing): under application/ a module is "
        "in interfaces/ {port}.py; in use_cases/ {verb}_{noun}.py"
    ]


def test_a_module_named_against_the_convention_is_refused(good: Path, write: Writer) -> None:
    write(good, {"snippets/billing/domain/events/events.py": ""})

    assert problems(good) == [
        "snippets/billing/domain/events/events.py:0: 'domain/events/events.py' breaks "
        f"{RULE} of a context (billing): under domain/events/ a module is "
        "{aggregate}_events.py"
    ]


def test_a_module_in_an_unknown_folder_gets_the_rule_of_the_nearest_known_one(
    good: Path, write: Writer
) -> None:
    write(good, {"snippets/platform/api/routes/health.py": ""})

    assert problems(good) == [
        "snippets/platform/api/routes/health.py:0: 'api/routes/health.py' breaks "
        f"{RULE} of a deployable (platform): at the top of the package a module is "
        "bootstrap.py; in infrastructure/ database/migrations/versions/v{number}_{change}.py"
    ]


def test_a_package_without_a_kind_is_refused(good: Path, write: Writer) -> None:
    write(good, {"snippets/payments/__init__.py": ""})

    assert problems(good) == [
        "snippets/payments/__init__.py:0: package 'payments' has no kind in "
        "[tool.handbook.layout.packages]: name it a context, a deployable or a kernel "
        f"there, so {RULE} applies to it"
    ]


def test_a_use_case_module_must_hold_the_use_case_of_its_name(good: Path, write: Writer) -> None:
    write(
        good,
        {
            "snippets/billing/application/use_cases/cancel_invoice.py": (
                "def cancel_invoice() -> None:\n    pass\n\n\n"
                "async def cancel() -> None:\n    pass\n"
            )
        },
    )

    assert problems(good) == [
        "snippets/billing/application/use_cases/cancel_invoice.py:1: a use case module "
        "holds the use case of its name, 'async def cancel_invoice(...)' "
        f"({RULE}: one module per use case)"
    ]


def test_a_repository_without_the_table_is_not_checked(tmp_path: Path, write: Writer) -> None:
    root = write(tmp_path, {"pyproject.toml": "[tool.handbook]\n", "snippets/x/odd.py": ""})

    assert Layout.read(root) is None
    assert problems(root) == []


@pytest.mark.parametrize(
    ("pattern", "path", "fits"),
    [
        ("application/use_cases/{verb}_{noun}.py", "application/use_cases/add_product.py", True),
        ("application/use_cases/{verb}_{noun}.py", "application/use_cases/look_up_it.py", True),
        ("application/use_cases/{verb}_{noun}.py", "application/use_cases/handlers.py", False),
        ("application/use_cases/{verb}_{noun}.py", "application/use_cases/Add_Product.py", False),
        ("domain/events/{aggregate}_events.py", "domain/events/order_events.py", True),
        ("domain/events/{aggregate}_events.py", "domain/events/order_events/x.py", False),
        ("versions/v{number}_{change}.py", "versions/v0003_orders.py", True),
        ("versions/v{number}_{change}.py", "versions/vx_orders.py", False),
        ("{block}.py", "a.b.py", False),
    ],
)
def test_a_brace_is_a_snake_case_name_or_digits(pattern: str, path: str, *, fits: bool) -> None:
    assert (compile_pattern(pattern).fullmatch(path) is not None) is fits


def test_python_m_handbook_check_reports_a_misplaced_module(
    repo: Path, write: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = (repo / "pyproject.toml").read_text(encoding="utf-8")
    layout = PYPROJECT.replace("billing", "shared_kernel")
    write(repo, {"pyproject.toml": pyproject + layout, "snippets/shared_kernel/x/y.py": ""})

    status = main(["--root", str(repo), "check", "--no-proof"])

    assert status == 1
    assert "snippets/shared_kernel/x/y.py:0: 'x/y.py' breaks" in capsys.readouterr().err
