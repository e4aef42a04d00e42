"""What the handbook's build steps read from MkDocs' configuration, read in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig


@dataclass(frozen=True)
class SiteSettings:
    """The repository and the listing extension's options, as one build sees them.

    Attributes:
        root: The repository root: the folder of ``mkdocs.yml``.
        proof: The proof file the listings show (the ``handbook.listing`` option).
        python_path: Folders (relative to ``root``) that hold the importable packages.
        theme_overrides: The theme's ``custom_dir`` relative to ``root``, when it has one.
    """

    root: Path
    proof: Path
    python_path: tuple[str, ...]
    theme_overrides: tuple[str, ...]

    @classmethod
    def of(cls, config: MkDocsConfig) -> SiteSettings:
        """Read the settings of the site that ``config`` builds."""
        root = Path(config.config_file_path).resolve().parent
        listing = config.mdx_configs.get("handbook.listing", {})
        custom = config.theme.custom_dir
        return cls(
            root=root,
            proof=root / listing.get("proof", ".handbook/proof.json"),
            python_path=tuple(listing.get("python_path", [])),
            theme_overrides=(Path(custom).resolve().relative_to(root).as_posix(),)
            if custom
            else (),
        )
