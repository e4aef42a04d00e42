"""The options of a ``serve`` command: the server's limits, each overriding its setting."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click
from pydantic import ValidationError

from infrastructure_kernel.http.server import HttpLimits
from infrastructure_kernel.remedies import Explained

CommandT = TypeVar("CommandT", bound=Callable[..., Any])
SettingsT = TypeVar("SettingsT")


class BadLimit(Explained, click.UsageError):
    """A server limit given as an option breaks its rule."""

    looks_like = "Error: http_NAME: REASON"
    cause = "An option of `serve` (--header-timeout and the others) is out of range."
    fix = "Give a value within the range `serve --help` states for that option."


# --8<-- [start:limit-options]
def limit_options(command: CommandT) -> CommandT:
    """Add an option for each of :class:`HttpLimits`, named after its setting.

    ``--header-timeout`` overrides ``HTTP_HEADER_TIMEOUT``; an option not given leaves
    the setting as the environment has it.
    """
    for name, field in reversed(HttpLimits.model_fields.items()):
        command = click.option(
            "--" + name.removeprefix("http_").replace("_", "-"),
            name,
            type=field.annotation,
            default=None,
            help=f"{field.description}  [setting: {name.upper()}; default: {field.default}]",
        )(command)
    return command


def settings_with(settings: Callable[..., SettingsT], options: Mapping[str, object]) -> SettingsT:
    """Read ``settings`` from the environment, the options that were given overriding it.

    Raises:
        click.UsageError: An option's value breaks its setting's rule (status 2).
    """
    given = {name: value for name, value in options.items() if value is not None}
    try:
        return settings(**given)
    except ValidationError as error:
        fields = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        raise BadLimit("; ".join(fields)) from error


# --8<-- [end:limit-options]
