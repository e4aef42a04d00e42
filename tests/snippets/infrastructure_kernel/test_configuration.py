"""Layered configuration: each layer over the last, origins, and one-line errors."""

import json
import math
import os
import tomllib
from pathlib import Path
from typing import ClassVar, Literal
from unittest import mock

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from infrastructure_kernel.cli.configuration import (
    config_group,
    configured_or_exit,
    settings_option,
)
from infrastructure_kernel.configuration import (
    Configured,
    LayeredSettings,
    configure,
    toml_value,
)
from infrastructure_kernel.configuration_errors import ConfigurationError


class Example(LayeredSettings):
    model_config = SettingsConfigDict(env_prefix="EXAMPLE_", env_file=".env", extra="ignore")
    config_file_variable: ClassVar[str] = "EXAMPLE_CONFIG"
    profile_variable: ClassVar[str] = "EXAMPLE_PROFILE"
    default_config_file: ClassVar[str] = "example.toml"

    password: SecretStr = SecretStr("changeme")
    workers: int = Field(default=2, ge=1, le=64)
    level: Literal["low", "high"] = "low"
    ratio: float = 0.5
    verbose: bool = False


FIELDS = list(Example.model_fields)
VARIABLES = [f"EXAMPLE_{name.upper()}" for name in FIELDS] + ["EXAMPLE_CONFIG", "EXAMPLE_PROFILE"]
SAFE = st.characters(codec="utf-8", exclude_characters="\x00")
"""Any character an environment variable can hold (no NUL, no lone surrogate)."""


@pytest.fixture(autouse=True)
def empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_with_no_file_and_no_variables_every_value_is_the_default() -> None:
    configured = configure(Example, {})

    assert configured.settings == Example()
    assert set(configured.origins.values()) == {"default"}


def test_each_layer_overrides_the_one_before(
    empty_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (empty_directory / "example.toml").write_text(
        'workers = 3\nlevel = "high"\nratio = 0.1\nverbose = true\n'
        "[profiles.production]\nworkers = 4\nratio = 0.2\n[profiles.staging]\nworkers = 5\n",
        encoding="utf-8",
    )
    (empty_directory / ".env").write_text("EXAMPLE_RATIO=0.3\nEXAMPLE_VERBOSE=false\n")
    monkeypatch.setenv("EXAMPLE_PROFILE", "production")
    monkeypatch.setenv("EXAMPLE_VERBOSE", "true")

    configured = configure(Example, {"password": "s3cret"})

    settings = configured.settings
    assert (settings.workers, settings.level, settings.ratio, settings.verbose) == (
        4,
        "high",
        0.3,
        True,
    )
    assert settings.password.get_secret_value() == "s3cret"
    assert configured.origins == {
        "password": "option",
        "workers": "file:example.toml [profiles.production]",
        "level": "file:example.toml",
        "ratio": "file:.env",
        "verbose": "env:EXAMPLE_VERBOSE",
    }
    # The settings class reads the same layers by itself, options as its arguments.
    assert Example(password=SecretStr("s3cret")) == settings


def test_a_variable_names_the_file(empty_directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = empty_directory / "etc" / "example.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("workers = 7\n", encoding="utf-8")
    monkeypatch.setenv("EXAMPLE_CONFIG", str(elsewhere))

    configured = configure(Example, {})

    assert configured.settings.workers == 7
    assert configured.origins["workers"] == f"file:{elsewhere}"


def test_the_file_layer_answers_for_one_field_too(empty_directory: Path) -> None:
    (empty_directory / "example.toml").write_text("workers = 3\n", encoding="utf-8")
    layer = Example.file_layer()

    fields = Example.model_fields
    assert layer.get_field_value(fields["workers"], "workers") == (3, "workers", False)
    assert layer.get_field_value(fields["level"], "level") == (None, "level", False)


def test_show_masks_secrets_and_says_where_each_value_came_from() -> None:
    shown = configure(Example, {"password": "s3cret", "workers": "9"}).shown()

    assert shown["password"] == {"value": "**********", "from": "option"}
    assert shown["workers"] == {"value": 9, "from": "option"}
    assert shown["level"] == {"value": "low", "from": "default"}
    assert "s3cret" not in json.dumps(shown)


@pytest.mark.parametrize(
    ("content", "variables", "message"),
    [
        ("", {"EXAMPLE_CONFIG": "missing.toml"}, "missing.toml: no such configuration file"),
        ("wokers = 3\n", {}, "file:example.toml: unknown setting 'wokers'"),
        ("workers = \n", {}, "example.toml: not valid TOML: Invalid value (at line 1, column 11)"),
        ("profiles = 3\n", {}, "example.toml: [profiles] must hold one table per profile"),
        (
            "[profiles.production]\n",
            {"EXAMPLE_PROFILE": "prod"},
            "example.toml: no profile 'prod' (profiles: 'production')",
        ),
        (
            "[profiles.a]\nnope = 1\n",
            {"EXAMPLE_PROFILE": "a"},
            "file:example.toml [profiles.a]: unknown setting 'nope'",
        ),
        (
            None,
            {"EXAMPLE_PROFILE": "production"},
            "profile 'production' chosen, but there is no file",
        ),
        (
            "workers = 0\n",
            {},
            "invalid setting workers (file:example.toml): "
            "Input should be greater than or equal to 1",
        ),
    ],
)
def test_an_unusable_file_or_profile_is_one_line_naming_what_is_wrong(
    content: str | None,
    variables: dict[str, str],
    message: str,
    empty_directory: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if content is not None:
        (empty_directory / "example.toml").write_text(content, encoding="utf-8")
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError) as raised:
        configure(Example, {})

    assert str(raised.value) == message


def test_a_file_that_is_not_text_or_not_a_file_is_refused(
    empty_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (empty_directory / "example.toml").write_bytes(b"workers = 3 \xff\xfe\n")
    with pytest.raises(ConfigurationError, match=r"^example\.toml: not UTF-8 text$"):
        configure(Example, {})

    (empty_directory / "folder.toml").mkdir()
    monkeypatch.setenv("EXAMPLE_CONFIG", "folder.toml")
    with pytest.raises(
        ConfigurationError, match=r"^folder\.toml: cannot be read \(Is a directory\)$"
    ):
        configure(Example, {})


def test_an_unknown_option_and_every_invalid_value_are_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ConfigurationError, match=r"^unknown setting 'wokers' \(option\)$"):
        configure(Example, {"wokers": "3"})

    monkeypatch.setenv("EXAMPLE_LEVEL", "medium")
    with pytest.raises(ConfigurationError) as raised:
        configure(Example, {"workers": "many"})
    assert str(raised.value) == (
        "invalid setting workers (option): Input should be a valid integer, unable to parse "
        "string as an integer; level (env:EXAMPLE_LEVEL): Input should be 'low' or 'high'"
    )


def outcome() -> Configured[Example] | ConfigurationError:
    """The settings the layers configure, or the error that refused them."""
    try:
        return configure(Example, {})
    except ConfigurationError as error:
        return error


def is_one_line_about(error: ConfigurationError, *names: str) -> bool:
    message = str(error)
    return message.splitlines() == [message] and any(name in message for name in names)


# --- Hostile values: the file and the environment ------------------------------------

# --8<-- [start:hostile-environment]
HOSTILE_TEXT = st.text(SAFE, max_size=300) | st.sampled_from(
    # Right-to-left override, full-width and Arabic-Indic digits, Python's and C's
    # spellings of numbers, and a number too long to convert.
    ["\u202e1", "\uff11\uff12", "\u0663", "1_000", " 3 ", "0x10", "1e400", "nan", "9" * 5000]
)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(FIELDS), value=HOSTILE_TEXT)
def test_any_text_in_the_environment_configures_or_names_the_variable(
    name: str, value: str
) -> None:
    variable = f"EXAMPLE_{name.upper()}"
    with mock.patch.dict(os.environ, {variable: value}):
        result = outcome()

    if isinstance(result, ConfigurationError):
        assert is_one_line_about(result, f"{name} (env:{variable})"), result
        assert len(value) < 20 or value not in str(result)  # it may be a password
    else:
        assert result.origins[name] == f"env:{variable}"


# --8<-- [end:hostile-environment]


# --8<-- [start:hostile-file]
TOML_VALUES = st.one_of(
    st.integers().map(str),
    st.integers(min_value=10**300).map(str),
    st.integers(min_value=4300, max_value=6000).map(lambda digits: "9" * digits),
    st.floats().map(repr),
    st.booleans().map(lambda b: str(b).lower()),
    st.text(SAFE, max_size=200).map(json.dumps),
    st.text(SAFE, max_size=50).map(lambda t: json.dumps(t, ensure_ascii=False)),
    st.lists(st.integers(), max_size=3).map(str),
    st.just('{ nested = "table" }'),
    st.just("1979-05-27T07:32:00Z"),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(FIELDS), literal=TOML_VALUES, profile=st.booleans())
def test_any_value_in_the_file_configures_or_names_the_setting(
    name: str, literal: str, empty_directory: Path, *, profile: bool
) -> None:
    table = "[profiles.hostile]\n" if profile else ""
    (empty_directory / "example.toml").write_text(f"{table}{name} = {literal}\n", "utf-8")
    with mock.patch.dict(os.environ, {"EXAMPLE_PROFILE": "hostile"} if profile else {}):
        result = outcome()

    if isinstance(result, ConfigurationError):
        assert is_one_line_about(result, f"{name} (file:example.toml", "not valid TOML"), result
    else:
        assert result.origins[name].startswith("file:example.toml")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.text(st.characters(), max_size=300) | st.binary(max_size=300))
def test_any_file_at_all_configures_or_is_one_line(
    content: str | bytes, empty_directory: Path
) -> None:
    path = empty_directory / "example.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8", errors="surrogatepass")

    result = outcome()

    if isinstance(result, ConfigurationError):
        assert is_one_line_about(result, "example.toml", "invalid setting"), result


# --8<-- [end:hostile-file]


# --- The command line's layer ---------------------------------------------------------


@click.group()
@settings_option
@click.pass_context
def tool(ctx: click.Context, settings: dict[str, str]) -> None:
    ctx.obj = configured_or_exit(Example, settings)


def _configured() -> Configured[Example]:
    configured: Configured[Example] = click.get_current_context().find_root().obj
    return configured


tool.add_command(config_group(_configured))


def test_config_show_prints_each_value_and_its_origin() -> None:
    result = CliRunner().invoke(
        tool, ["--set", "Workers=5", "--set", "password=hunter2", "config", "show"]
    )

    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["workers"] == {"value": 5, "from": "option"}
    assert shown["password"] == {"value": "**********", "from": "option"}
    assert "hunter2" not in result.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--set", "workers=0"], "Error: invalid setting workers (option): Input should be "),
        (["--set", "nothing"], "Error: Invalid value for '--set': 'nothing' is not NAME=VALUE"),
        (["--set", "=3"], "Error: Invalid value for '--set': '=3' is not NAME=VALUE"),
    ],
)
def test_a_wrong_value_stops_with_status_2_and_one_line(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(tool, [*arguments, "config", "show"])

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_config_init_writes_what_is_not_a_default_and_no_secret(empty_directory: Path) -> None:
    arguments = ["--set", "workers=5", "--set", "password=hunter2", "--set", "level=high"]

    first = CliRunner().invoke(tool, [*arguments, "config", "init", "--profile", "production"])
    again = CliRunner().invoke(tool, [*arguments, "config", "init"])

    assert (first.exit_code, first.output) == (
        0,
        "Wrote the settings that are not defaults to example.toml, as [profiles.production].\n",
    )
    assert (empty_directory / "example.toml").read_text(encoding="utf-8") == (
        '[profiles.production]\nworkers = 5\nlevel = "high"\n'
    )
    assert (again.exit_code, again.output) == (
        1,
        "Error: example.toml exists; it is left as it is\n",
    )
    with mock.patch.dict(os.environ, {"EXAMPLE_PROFILE": "production"}):
        configured = configure(Example, {})
    assert (configured.settings.workers, configured.settings.level) == (5, "high")
    assert configured.origins["workers"] == "file:example.toml [profiles.production]"


def test_config_init_writes_the_top_level_to_a_path_of_its_own(empty_directory: Path) -> None:
    result = CliRunner().invoke(tool, ["--set", "ratio=0.25", "config", "init", "other.toml"])

    assert result.exit_code == 0, result.output
    assert (empty_directory / "other.toml").read_text(encoding="utf-8") == "ratio = 0.25\n"


def test_config_init_refuses_a_profile_that_is_not_a_bare_key() -> None:
    result = CliRunner().invoke(tool, ["config", "init", "--profile", "a b]"])

    assert result.exit_code == 2
    assert "Invalid value for '--profile': letters, digits, '_' and '-' only" in result.output


@given(
    value=st.text(st.characters(codec="utf-8"))
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.booleans()
)
def test_every_value_is_written_as_toml_that_reads_back_the_same(
    value: str | float | bool,
) -> None:
    read = tomllib.loads(f"x = {toml_value(value)}\n")["x"]

    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(read)
    else:
        assert (read, type(read)) == (value, type(value))


class WithAList(Example):
    hosts: list[str] = Field(default_factory=lambda: ["*"])


def test_a_list_that_is_not_json_in_a_variable_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EXAMPLE_HOSTS", "shop.example")  # a list is read as JSON

    with pytest.raises(ConfigurationError) as refused:
        configure(WithAList, {})

    assert str(refused.value) == (
        "invalid setting hosts (env:EXAMPLE_HOSTS): not a JSON value of the setting's type"
    )
