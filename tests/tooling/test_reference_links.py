"""Listings link to the API reference of the module they show (``handbook.reference_links``)."""

from __future__ import annotations

from pathlib import Path

from handbook.reference_links import ReferencedModules

PAGE = """# The catalog

::: catalog.domain
    options:
      show_submodules: true

::: shared_kernel.money

::: shared_kernel.clock
    options:
      show_source: false
"""


def _modules(tmp_path: Path) -> ReferencedModules:
    page = tmp_path / "catalog.md"
    page.write_text(PAGE, encoding="utf-8")
    return ReferencedModules.read([page])


def test_the_blocks_of_the_reference_pages_are_read_with_their_submodules_option(
    tmp_path: Path,
) -> None:
    modules = _modules(tmp_path)

    assert modules.exact == {"catalog.domain", "shared_kernel.money", "shared_kernel.clock"}
    assert modules.trees == {"catalog.domain"}


def test_a_module_is_documented_by_its_own_block_or_a_package_shown_with_submodules(
    tmp_path: Path,
) -> None:
    modules = _modules(tmp_path)

    assert modules.documents("catalog.domain.entities.product")
    assert modules.documents("shared_kernel.money")
    assert not modules.documents("shared_kernel.entity")  # no block, no tree
    assert not modules.documents("catalog.domain._private")
    assert not modules.documents("catalog.application.use_cases")


def test_a_source_file_is_named_as_the_module_it_is_when_the_reference_has_it(
    tmp_path: Path,
) -> None:
    modules = _modules(tmp_path)
    folders = ["snippets"]

    assert modules.identifier("snippets/catalog/domain/errors.py", folders) == (
        "catalog.domain.errors"
    )
    assert modules.identifier("snippets/catalog/domain/__init__.py", folders) == "catalog.domain"
    assert modules.identifier("snippets/shared_kernel/entity.py", folders) is None
    assert modules.identifier("tests/snippets/catalog/domain/test_x.py", folders) is None
    assert modules.identifier("snippets/catalog/domain/tables.sql", folders) is None
    assert modules.identifier("snippets/catalog/domain/errors.py", []) is None


def test_a_module_in_a_folder_that_is_no_package_has_no_entry(tmp_path: Path) -> None:
    modules = _modules(tmp_path)
    package = tmp_path / "snippets" / "catalog" / "domain"
    (package / "versions").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    source = "snippets/catalog/domain/versions/v0001.py"

    assert modules.identifier(source, ["snippets"]) == "catalog.domain.versions.v0001"
    assert modules.identifier(source, ["snippets"], tmp_path) is None
    assert modules.identifier("snippets/catalog/domain/errors.py", ["snippets"], tmp_path) == (
        "catalog.domain.errors"
    )
