"""The command line's layer of the configuration (``--set``), and ``config show``.

Every deployable's root command takes ``--set NAME=VALUE`` for any of its settings,
strongest of the layers of :mod:`infrastructure_kernel.configuration`, and validates the
whole configuration before a subcommand runs: a wrong value stops the command with one
line and exit status 2, as a wrong option does, and no traceback.
"""

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from infrastructure_kernel.cli.output import echo_json
from infrastructure_kernel.configuration import (
    Configured,
    LayeredSettings,
    configure,
)
from infrastructure_kernel.configuration_errors import ConfigurationError
from infrastructure_kernel.remedies import Explained

SettingsT = TypeVar("SettingsT", bound=LayeredSettings)


# --8<-- [start:set-option]
class BadConfiguration(Explained, click.ClickException):
    """The configuration cannot run: ``Error:`` and one line on stderr, exit status 2."""

    exit_code = 2
    looks_like = "Error: (one of the configuration errors below), exit status 2"
    cause = "Any command reads and checks the whole configuration before it runs."
    fix = "Find the line among the configuration errors; `config show` checks a correction."


class NotNameValue(Explained, click.BadParameter):
    """A ``--set`` option is not ``NAME=VALUE``."""

    looks_like = "Error: Invalid value for '--set': 'TEXT' is not NAME=VALUE"
    cause = "The option's value has no '=', or nothing before it."
    fix = "Write --set NAME=VALUE, quoted for the shell: --set 'feature_flags={...}'."


def _settings(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    options: dict[str, str] = {}
    for value in values:
        name, equals, text = value.partition("=")
        if not equals or not name.strip():
            raise NotNameValue(f"{value!r} is not NAME=VALUE")
        options[name.strip().lower().replace("-", "_")] = text
    return options


settings_option = click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_settings,
    help="Set a setting, over the file and the environment (repeatable).",
)
"""The root command's ``--set``: each one a setting's value from the command line."""


def configured_or_exit(
    settings_cls: type[SettingsT], options: Mapping[str, str]
) -> Configured[SettingsT]:
    """Read the configuration's layers, or stop the command with the reason.

    Raises:
        BadConfiguration: The configuration cannot run.
    """
    try:
        return configure(settings_cls, options)
    except ConfigurationError as error:
        raise BadConfiguration(str(error)) from None


# --8<-- [end:set-option]


# --8<-- [start:config-group]
class FileExists(Explained, click.ClickException):
    """``config init`` would overwrite a file."""

    looks_like = "Error: PATH exists; it is left as it is"
    cause = "config init never overwrites a configuration file."
    fix = "Name another PATH, or move the file away first and merge by hand."


class BadProfileName(Explained, click.BadParameter):
    """A profile name that is not a plain word."""

    looks_like = "Error: Invalid value for '--profile': letters, digits, '_' and '-' only"
    cause = "The profile's name would not be a bare key of the file's [profiles] table."
    fix = "Name the profile with letters, digits, '_' and '-': staging, prod-eu."


def config_group(configured: Callable[[], Configured[Any]]) -> click.Group:
    """Return the ``config`` group, whose ``show`` prints the configuration in force.

    Args:
        configured: The configuration the root command read, with each value's origin.
    """

    @click.group()
    def config() -> None:
        """Show the configuration in force, or start a file from it."""

    @config.command()
    def show() -> None:
        """Print each setting's value and where it came from; secrets masked."""
        echo_json(configured().shown())

    @config.command()
    @click.option("--profile", callback=_profile, help="Write them as this profile's table.")
    @click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
    def init(profile: str | None, path: Path | None) -> None:
        """Write the settings that are not defaults, secrets left out, to a new file.

        PATH is the configuration file the command reads by default.
        """
        now = configured()
        target = path or Path(type(now.settings).default_config_file)
        try:
            with target.open("x", encoding="utf-8") as file:
                file.write(now.file_text(profile))
        except FileExistsError:
            raise FileExists(f"{target} exists; it is left as it is") from None
        table = f", as [profiles.{profile}]" if profile else ""
        click.echo(f"Wrote the settings that are not defaults to {target}{table}.")

    return config


def _profile(_: click.Context, __: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]+", value):
        raise BadProfileName("letters, digits, '_' and '-' only")
    return value


# --8<-- [end:config-group]
