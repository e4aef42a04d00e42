"""The shop's configuration: shop.toml and its profiles, the environment, --set, config show."""

import json
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shop.presentation.cli.main import cli
from shop.settings import Settings

VARIABLES = [name.upper() for name in Settings.model_fields] + ["SHOP_CONFIG", "SHOP_PROFILE"]
PRODUCTION = """\
log_level = "DEBUG"
database_pool_size = 8

[profiles.production]
log_level = "WARNING"
database_pool_size = 20
"""


@pytest.fixture(autouse=True)
def empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """None of the shop's variables, and a working directory with no shop.toml."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def shop(*args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def test_config_show_names_the_layer_of_every_value(empty_directory: Path) -> None:
    (empty_directory / "shop.toml").write_text(PRODUCTION, encoding="utf-8")

    result = shop(
        "--set",
        "max_request_body_size=1024",
        "config",
        "show",
        SHOP_PROFILE="production",
        DATABASE_POOL_SIZE="12",
        DATABASE_URL="postgresql+asyncpg://shop:s3cret@db/shop",
    )

    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    layers = {name: (entry["value"], entry["from"]) for name, entry in shown.items()}
    assert set(layers) == set(Settings.model_fields)
    given = {
        "database_url": ("**********", "env:DATABASE_URL"),
        "database_pool_size": (12, "env:DATABASE_POOL_SIZE"),
        "max_request_body_size": (1024, "option"),
        "log_level": ("WARNING", "file:shop.toml [profiles.production]"),
    }
    assert {name: layers.pop(name) for name in given} == given
    assert {name: origin for name, (_, origin) in layers.items()} == dict.fromkeys(
        layers, "default"
    )
    assert layers["database_pool_timeout"] == (2.0, "default")
    assert "s3cret" not in result.output


def test_without_a_profile_the_files_top_level_holds(empty_directory: Path) -> None:
    (empty_directory / "shop.toml").write_text(PRODUCTION, encoding="utf-8")

    shown = json.loads(shop("config", "show").output)

    assert shown["log_level"] == {"value": "DEBUG", "from": "file:shop.toml"}
    assert shown["database_pool_size"] == {"value": 8, "from": "file:shop.toml"}


@pytest.mark.parametrize("command", [["config", "show"], ["serve"], ["db", "upgrade"]])
def test_a_wrong_value_stops_every_command_with_one_line_and_status_2(
    command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_serve(*_: Any, **__: Any) -> None:
        raise AssertionError("served with a wrong configuration")

    monkeypatch.setattr(uvicorn, "run", must_not_serve)

    result = shop(*command, DATABASE_POOL_SIZE="0")

    assert result.exit_code == 2
    assert result.output == (
        "Error: invalid setting database_pool_size (env:DATABASE_POOL_SIZE): "
        "Input should be greater than or equal to 1\n"
    )
    assert not Path("shop.db").exists()  # nothing ran


def test_a_misspelt_setting_in_the_file_is_refused(empty_directory: Path) -> None:
    (empty_directory / "shop.toml").write_text("log_levle = 'DEBUG'\n", encoding="utf-8")

    result = shop("config", "show")

    assert (result.exit_code, result.output) == (
        2,
        "Error: file:shop.toml: unknown setting 'log_levle'\n",
    )


HOSTILE = st.characters(codec="utf-8", exclude_characters="\x00")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(list(Settings.model_fields)), value=st.text(HOSTILE, max_size=200))
def test_any_text_in_a_variable_is_shown_or_refused_in_one_line(name: str, value: str) -> None:
    result = shop("config", "show", **{name.upper(): value})

    if result.exit_code == 0:
        assert json.loads(result.output)[name]["from"] == f"env:{name.upper()}"
    else:
        assert result.exit_code == 2
        assert result.output.startswith(f"Error: invalid setting {name} (env:{name.upper()}): ")
        assert result.output.count("\n") == 1
