"""Layered configuration: defaults, a file, the environment, options, each over the last.

A deployable's settings class extends :class:`LayeredSettings`. Its values come from four
layers, and a value in a later layer replaces the same setting's value in an earlier one:

1. the defaults written in the class;
2. a TOML file (``shop.toml`` in the working directory, or the file a variable names), its
   top-level settings first, then the table of the chosen profile over them;
3. secrets: one file per setting, named after it, in a folder where a container's or a
   Kubernetes pod's secrets are mounted (``/run/secrets``, or the folder a variable names);
4. the environment: variables, and a ``.env`` file under them;
5. options given on the command line.

:func:`configure` reads the layers once, remembers where each value came from, and turns a
value that cannot run into a :class:`ConfigurationError`: one line that names the setting,
the layer it came from and the reason, never the value (it may be a password).
"""

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar, get_origin

from pydantic import SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SecretsSettingsSource,
)
from pydantic_settings.exceptions import SettingsError

from infrastructure_kernel.configuration_errors import (
    InvalidSettingError,
    NoSecretsDirError,
    NoSuchFileError,
    NoSuchProfileError,
    NotJsonError,
    NotTomlError,
    ProfilesNotTablesError,
    ProfileWithoutFileError,
    UnknownSettingError,
    UnreadableFileError,
)

PROFILES = "profiles"
"""The file's table of profiles: ``[profiles.production]`` holds the production profile."""
DEFAULT = "default"
OPTION = "option"
SECRETS_DIR = Path("/run/secrets")
"""Where Docker, Podman and Compose mount a container's secrets; a pod mounts them anywhere."""


# --8<-- [start:file-layer]
class FileLayer(PydanticBaseSettingsSource):
    """The configuration file: its top-level settings, then one profile's table over them.

    A key that is not a setting is refused rather than ignored: a misspelt name in a
    file would otherwise leave the default in force without a word.
    """

    def __init__(
        self, settings_cls: type[BaseSettings], path: Path | None, profile: str | None
    ) -> None:
        """Read ``path`` (``None``: there is no file) and choose ``profile`` in it.

        Raises:
            ConfigurationError: The file cannot be read or parsed, holds an unknown
                setting, or has no such profile.
        """
        super().__init__(settings_cls)
        self.path = path
        self.profile = profile
        self.values: dict[str, Any] = {}
        self.origins: dict[str, str] = {}
        if path is None:
            if profile is not None:
                raise ProfileWithoutFileError(f"profile {profile!r} chosen, but there is no file")
            return
        document = _read_toml(path)
        profiles = document.pop(PROFILES, {})
        if not isinstance(profiles, dict) or not all(
            isinstance(t, dict) for t in profiles.values()
        ):
            raise ProfilesNotTablesError(f"{path}: [{PROFILES}] must hold one table per profile")
        self._take(document, f"file:{path}")
        if profile is not None:
            if profile not in profiles:
                known = ", ".join(repr(name) for name in sorted(profiles)) or "none"
                raise NoSuchProfileError(f"{path}: no profile {profile!r} (profiles: {known})")
            self._take(profiles[profile], f"file:{path} [{PROFILES}.{profile}]")

    def _take(self, table: dict[str, Any], origin: str) -> None:
        fields = self.settings_cls.model_fields
        for key in table:
            if key not in fields:
                raise UnknownSettingError(f"{origin}: unknown setting {key!r}")
        self.values.update(table)
        self.origins.update(dict.fromkeys(table, origin))

    def get_field_value(
        self,
        field: FieldInfo,  # noqa: ARG002 - the signature pydantic-settings calls
        field_name: str,
    ) -> tuple[Any, str, bool]:
        """One setting's value from the file, as pydantic-settings asks a source for it."""
        return self.values.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        """Every setting the file (and the profile) gives a value."""
        return dict(self.values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoSuchFileError(f"{path}: no such configuration file") from None
    except OSError as error:
        raise UnreadableFileError(f"{path}: cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise UnreadableFileError(f"{path}: not UTF-8 text") from None
    except ValueError as error:  # TOMLDecodeError, or an integer too long to convert
        raise NotTomlError(f"{path}: not valid TOML: {error}") from None


# --8<-- [end:file-layer]


# --8<-- [start:layered-settings]
class LayeredSettings(BaseSettings):
    """Settings read from the defaults, a file, secrets, the environment and options, in order.

    A subclass names its file and the variables that choose the file and the profile.
    """

    config_file_variable: ClassVar[str] = "CONFIG_FILE"
    """The variable that names the configuration file."""
    profile_variable: ClassVar[str] = "PROFILE"
    """The variable that chooses a profile of the file."""
    default_config_file: ClassVar[str] = "settings.toml"
    """The file read from the working directory when the variable names none."""
    secrets_dir_variable: ClassVar[str] = "SECRETS_DIR"
    """The variable that names the folder of secrets, if not :data:`SECRETS_DIR`."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],  # noqa: ARG003 - pydantic-settings' signature
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003 - made below
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The layers, the strongest first: options, environment, ``.env``, secrets, file."""
        return (init_settings, env_settings, dotenv_settings, cls.secrets_layer(), cls.file_layer())

    # --8<-- [start:secrets-layer]
    @classmethod
    def secrets_layer(cls) -> SecretsSettingsSource:
        """The folder of secrets the environment names, or :data:`SECRETS_DIR` if it exists.

        Each file in it is the value of the setting it is named after (``database_url``,
        or ``DATABASE_URL``), its trailing newline stripped.

        Raises:
            ConfigurationError: The variable names a folder that does not exist.
        """
        named = os.environ.get(cls.secrets_dir_variable)
        if named and not Path(named).is_dir():
            raise NoSecretsDirError(f"{named}: no such folder of secrets")
        folder = Path(named) if named else (SECRETS_DIR if SECRETS_DIR.is_dir() else None)
        return SecretsSettingsSource(cls, secrets_dir=folder)

    # --8<-- [end:secrets-layer]

    @classmethod
    def file_layer(cls) -> FileLayer:
        """The file the environment names (or the default one, if it exists), and its profile."""
        named = os.environ.get(cls.config_file_variable)
        default = Path(cls.default_config_file)
        path = Path(named) if named else (default if default.is_file() else None)
        return FileLayer(cls, path, os.environ.get(cls.profile_variable) or None)


# --8<-- [end:layered-settings]

SettingsT = TypeVar("SettingsT", bound=LayeredSettings)


# --8<-- [start:configure]
@dataclass(frozen=True)
class Configured(Generic[SettingsT]):
    """Valid settings, and the layer each value came from.

    Attributes:
        settings: The settings, validated.
        origins: For each setting, ``default``, ``file:PATH``, ``env:NAME`` or ``option``.
    """

    settings: SettingsT
    origins: Mapping[str, str]

    def shown(self) -> dict[str, dict[str, object]]:
        """Each setting's value, secrets masked, and where it came from."""
        values = self.settings.model_dump(mode="json")  # a SecretStr dumps as '**********'
        return {name: {"value": values[name], "from": self.origins[name]} for name in values}

    def file_text(self, profile: str | None = None) -> str:
        """The values that are not defaults, secrets left out, as a configuration file.

        Args:
            profile: Write them as this profile's table instead of at the top level.
        """
        values = self.settings.model_dump(mode="json")
        lines = [f"[{PROFILES}.{profile}]"] if profile else []
        lines += [
            f"{name} = {toml_value(value)}"
            for name, value in values.items()
            if self.origins[name] != DEFAULT
            and not isinstance(getattr(self.settings, name), SecretStr)
        ]
        return "".join(f"{line}\n" for line in lines)


def configure(settings_cls: type[SettingsT], options: Mapping[str, str]) -> Configured[SettingsT]:
    """Read every layer of ``settings_cls``, with ``options`` as the command line's.

    Raises:
        ConfigurationError: An option names no setting, the file is unusable, or a value
            is invalid; the message names the setting, its layer and the reason.
    """
    fields = settings_cls.model_fields
    for name in options:
        if name not in fields:
            raise UnknownSettingError(f"unknown setting {name!r} (option)")
    layers = settings_cls.settings_customise_sources(
        settings_cls,
        init_settings=InitSettingsSource(settings_cls, init_kwargs=dict(options)),
        env_settings=EnvSettingsSource(settings_cls),
        dotenv_settings=DotEnvSettingsSource(settings_cls),
        file_secret_settings=SecretsSettingsSource(settings_cls),  # unused: secrets_layer
    )
    origins: dict[str, str] = {}
    # Validated as a field's type, like a variable; a list or a table read as JSON, like a
    # variable's, so that a table merges with the other layers' as theirs do.
    arguments = {name: _option_value(fields[name], name, text) for name, text in options.items()}
    try:
        for layer in layers:
            for name in layer():
                origins.setdefault(name, _origin(settings_cls, layer, name))
        settings = settings_cls(**arguments)
    except ValidationError as error:
        raise InvalidSettingError(_reasons(error, origins)) from None
    except SettingsError as error:
        raise NotJsonError(_unparsable(error, settings_cls)) from None
    return Configured(settings, {name: origins.get(name, DEFAULT) for name in fields})


def toml_value(value: object) -> str:
    """Write a setting's value as TOML; a JSON string is a TOML string, but for DEL.

    A list is an array and a table (the feature flags' rules) an inline table, their
    items written by the same rules.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{toml_value(str(key))} = {toml_value(item)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def _origin(settings_cls: type[LayeredSettings], layer: object, name: str) -> str:
    if isinstance(layer, FileLayer):
        return layer.origins[name]
    if isinstance(layer, SecretsSettingsSource):
        return f"secret:{Path(str(layer.secrets_dir)) / name}"
    if isinstance(layer, DotEnvSettingsSource):
        return f"file:{settings_cls.model_config.get('env_file')}"
    if isinstance(layer, EnvSettingsSource):
        return "env:" + f"{settings_cls.model_config.get('env_prefix', '')}{name}".upper()
    return OPTION


def _option_value(field: FieldInfo, name: str, text: str) -> Any:
    if get_origin(field.annotation) not in {list, dict}:
        return text
    try:
        return json.loads(text)
    except ValueError:
        raise NotJsonError(
            f"invalid setting {name} (option): not a JSON value of the setting's type"
        ) from None


def _unparsable(error: SettingsError, settings_cls: type[LayeredSettings]) -> str:
    """One line for a list or a table that a layer holds as text that is not JSON.

    pydantic-settings names the field and the layer only in its message, as
    ``error parsing value for field "trusted_hosts" from source "EnvSettingsSource"``.
    """
    found = re.search(r'field "(\w+)" from source "(\w+)"', str(error))
    name, source = found.groups() if found else ("?", "?")
    prefix = settings_cls.model_config.get("env_prefix", "")
    layer = "env:" + f"{prefix}{name}".upper() if source == "EnvSettingsSource" else source
    return f"invalid setting {name} ({layer}): not a JSON value of the setting's type"


def _reasons(error: ValidationError, origins: Mapping[str, str]) -> str:
    """One line: each invalid setting, its layer and pydantic's reason (never the value)."""
    reasons = []
    for problem in error.errors(include_input=False, include_url=False):
        name, *within = [str(part) for part in problem["loc"]] or ["?"]
        # Inside a table (a flag's rule), where: "hide-discontinued.percentage: ". A key
        # is the operator's text: escaped, as repr() does, so that it prints as it is.
        where = f"{'.'.join(repr(part)[1:-1] for part in within)}: " if within else ""
        # One line, whatever a key or a message holds (a key is the operator's text).
        reason = " ".join(f"{where}{problem['msg']}".split())
        reasons.append(f"{name} ({origins.get(name, DEFAULT)}): {reason}")
    return "invalid setting " + "; ".join(reasons)


# --8<-- [end:configure]
