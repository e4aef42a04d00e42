"""Why a configuration cannot run: one class per reason, each with its cause and fix.

Each is a :class:`ConfigurationError`, whose message is one line fit for an operator; the
command line prints it after ``Error:`` and exits with status 2. The troubleshooting
guide lists them from here (:mod:`infrastructure_kernel.troubleshooting`).
"""

from infrastructure_kernel.remedies import Explained


class ConfigurationError(ValueError):
    """A configuration that cannot run; its message is one line, fit for an operator."""


# --8<-- [start:configuration-errors]
class ProfileWithoutFileError(Explained, ConfigurationError):
    """A profile is chosen, but there is no configuration file."""

    looks_like = "Error: profile 'NAME' chosen, but there is no file"
    cause = "The profile variable (SHOP_PROFILE) is set, and no file was found to hold it."
    fix = "Create the file with `config init --profile NAME`, or name it in SHOP_CONFIG."


class NoSuchFileError(Explained, ConfigurationError):
    """The configuration file named does not exist."""

    looks_like = "Error: PATH: no such configuration file"
    cause = "The file variable (SHOP_CONFIG) names a file that is not there."
    fix = "Correct the path, or unset the variable to read ./shop.toml if it exists."


class NoSecretsDirError(Explained, ConfigurationError):
    """The folder of secrets named does not exist."""

    looks_like = "Error: PATH: no such folder of secrets"
    cause = "The secrets variable (SHOP_SECRETS_DIR) names a folder that is not there."
    fix = "Mount the secrets there, correct the path, or unset it to read /run/secrets."


class UnreadableFileError(Explained, ConfigurationError):
    """The configuration file cannot be read as text."""

    looks_like = "Error: PATH: cannot be read (REASON), or: PATH: not UTF-8 text"
    cause = "The path is a folder, the process may not read the file, or it is not UTF-8."
    fix = "Make the file readable by the service's user, and save it as UTF-8."


class NotTomlError(Explained, ConfigurationError):
    """The configuration file is not valid TOML."""

    looks_like = "Error: PATH: not valid TOML: REASON (at line L, column C)"
    cause = "A syntax error in the file, e.g. a string without quotes."
    fix = "Correct the file at the line and column named; `config show` reads it again."


class ProfilesNotTablesError(Explained, ConfigurationError):
    """The file's ``profiles`` is not a table of tables."""

    looks_like = "Error: PATH: [profiles] must hold one table per profile"
    cause = "A setting is written directly under [profiles] instead of [profiles.NAME]."
    fix = "Put each profile's settings under a table of its own: [profiles.production]."


class NoSuchProfileError(Explained, ConfigurationError):
    """The chosen profile is not in the file."""

    looks_like = "Error: PATH: no profile 'NAME' (profiles: 'A', 'B')"
    cause = "The profile variable names a profile that the file does not have."
    fix = "Choose one of the profiles listed, or add a [profiles.NAME] table to the file."


class UnknownSettingError(Explained, ConfigurationError):
    """A key of the file, or an option, is not a setting."""

    looks_like = "Error: ORIGIN: unknown setting 'NAME', or: unknown setting 'NAME' (option)"
    cause = "A misspelt setting, or one that this version no longer has."
    fix = "Spell it as `config show` lists it, or remove it; an unknown key is never ignored."


class InvalidSettingError(Explained, ConfigurationError):
    """A setting's value breaks its rule."""

    looks_like = "Error: invalid setting NAME (ORIGIN): REASON; ..."
    cause = "A value of the wrong type or out of range, in the layer named in brackets."
    fix = "Correct the value in that layer (file, env:VARIABLE or option); see REASON."


class NotJsonError(Explained, ConfigurationError):
    """A list or table setting in the environment is not JSON."""

    looks_like = "Error: invalid setting NAME (env:VARIABLE): not a JSON value of the ..."
    cause = "A list or table setting (TRUSTED_HOSTS, FEATURE_FLAGS) was given as plain text."
    fix = "Write it as JSON: TRUSTED_HOSTS='[\"shop.example\"]'."


# --8<-- [end:configuration-errors]
