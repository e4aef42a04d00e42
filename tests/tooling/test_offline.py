"""An offline build serves its own search shim and fetches no pages (``handbook.offline``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from handbook.offline import SHIM, is_offline, prepare_offline

CONFIG = """\
site_name: Offline
theme:
  name: material
  features:
    - navigation.instant
    - navigation.instant.prefetch
    - navigation.tabs
    - content.code.copy
plugins:
  - search
  - offline:
      enabled: {enabled}
extra:
  polyfills: {polyfills}
"""


def configured(tmp_path: Path, *, enabled: bool, polyfills: str = "[]") -> MkDocsConfig:
    (tmp_path / "docs").mkdir(exist_ok=True)
    config_file = tmp_path / "mkdocs.yml"
    text = CONFIG.format(enabled=str(enabled).lower(), polyfills=polyfills)
    config_file.write_text(text, encoding="utf-8")
    return load_config(str(config_file))


def test_an_offline_build_keeps_what_works_from_disk_and_loads_its_own_shim(
    tmp_path: Path,
) -> None:
    config = configured(tmp_path, enabled=True, polyfills="[https://unpkg.com/iframe-worker/shim]")

    changed = prepare_offline(config)

    assert changed
    assert is_offline(config)
    assert list(config.theme["features"]) == ["navigation.tabs", "content.code.copy"]
    assert config.extra["polyfills"] == [SHIM]


def test_the_offline_plugin_then_adds_no_shim_of_another_host(tmp_path: Path) -> None:
    config = configured(tmp_path, enabled=True)
    prepare_offline(config)

    config.plugins["material/offline"].on_config(config)

    assert config.extra["polyfills"] == [SHIM]
    assert config.use_directory_urls is False


@pytest.mark.parametrize("polyfills", ["[]", "[assets/other.js]"])
def test_the_hosted_build_is_left_as_configured(tmp_path: Path, polyfills: str) -> None:
    config = configured(tmp_path, enabled=False, polyfills=polyfills)
    before = (list(config.theme["features"]), list(config.extra["polyfills"]))

    changed = prepare_offline(config)

    assert not changed
    assert not is_offline(config)
    assert (list(config.theme["features"]), list(config.extra["polyfills"])) == before


def test_the_shim_is_served_by_the_site() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs"

    assert (docs / SHIM).is_file()
