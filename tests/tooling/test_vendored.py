"""Vendored files match the sizes and checksums their README records."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

from handbook.checks import Settings
from handbook.paths import repository_root
from handbook.vendored import VENDOR_DIR, check_vendored, recorded_files

Writer = Callable[[Path, Mapping[str, str]], Path]

SCRIPT = "console.log('diagram');\n"
LICENSE = "MIT\n"


def readme(rows: Mapping[str, tuple[int, str]]) -> str:
    table = "\n".join(
        f"| `{name}` | {size:,} | `{digest}` |" for name, (size, digest) in rows.items()
    )
    return (
        "# Vendored\n\n| file | what it is |\n|---|---|\n| `lib.js` | the library |\n\n"
        f"| file | bytes | sha256 |\n|---|---:|---|\n{table}\n"
    )


def recorded(text: str) -> tuple[int, str]:
    return len(text.encode()), hashlib.sha256(text.encode()).hexdigest()


def vendor(root: Path, write: Writer, readme_text: str) -> Path:
    write(
        root,
        {"docs/assets/vendor/lib/lib.js": SCRIPT, "docs/assets/vendor/lib/LICENSE": LICENSE},
    )
    write(root, {"docs/assets/vendor/lib/README.md": readme_text})
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check_vendored(root / "docs" / VENDOR_DIR, root)]


README = "docs/assets/vendor/lib/README.md"


def test_files_that_match_their_readme_pass(tmp_path: Path, write: Writer) -> None:
    rows = {"lib.js": recorded(SCRIPT), "LICENSE": recorded(LICENSE)}

    assert problems_of(vendor(tmp_path, write, readme(rows))) == []


def test_a_replaced_file_fails_at_its_row(tmp_path: Path, write: Writer) -> None:
    old = "console.log('old');\n"
    root = vendor(tmp_path, write, readme({"lib.js": recorded(old), "LICENSE": recorded(LICENSE)}))
    size, digest = recorded(SCRIPT)

    assert problems_of(root) == [
        f"{README}:9: lib.js has {size:,} bytes, not {recorded(old)[0]:,}",
        f"{README}:9: lib.js has sha256 {digest}, not {recorded(old)[1]}",
    ]


def test_a_file_no_table_lists_or_a_listed_file_that_is_gone_fails(
    tmp_path: Path, write: Writer
) -> None:
    rows = {"lib.js": recorded(SCRIPT), "lib.css": recorded("")}
    root = vendor(tmp_path, write, readme(rows))

    assert problems_of(root) == [
        f"{README}:0: LICENSE is vendored but no table gives its sha256",
        f"{README}:10: lib.css is listed but not vendored",
    ]


def test_a_vendored_folder_without_a_readme_fails(tmp_path: Path, write: Writer) -> None:
    write(tmp_path, {"docs/assets/vendor/lib/lib.js": SCRIPT})

    assert problems_of(tmp_path) == [f"{README}:0: a vendored folder needs a README with checksums"]


def test_no_vendor_folder_no_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == []


def test_a_table_without_a_size_column_checks_the_digest_alone() -> None:
    text = "| file | sha256 |\n|---|---|\n| `a.js` | `ABC` |\n"

    [row] = recorded_files(text)

    assert (row.line, row.name, row.size, row.sha256) == (3, "a.js", None, "abc")


def test_the_repositorys_vendored_files_match_their_readmes() -> None:
    root = repository_root()
    vendored = root / Settings.read(root).docs_dir / VENDOR_DIR

    assert sorted(path.name for path in vendored.iterdir()) == ["fonts", "iframe-worker", "mermaid"]
    assert check_vendored(vendored, root) == []
