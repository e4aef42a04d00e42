"""``shop keys``: make, add, promote, retire and list the keys that sign access tokens.

The key set lives in the file the deployable's settings name (``AUTH_KEYS_FILE``), a
secret's place: the commands write it readable by its owner alone, and print key ids,
never keys. Every server process reads the file when it starts, so a rotation is two
steps, a restart apart: ``add`` publishes a next key, which verifies; once every process
has restarted with it, ``promote`` makes it sign (ADR 98).
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
from pydantic import BaseModel

from identity.infrastructure.security.signing_keys import (
    KeyFileError,
    KeySet,
    SigningKey,
    load_key_set,
    save_key_set,
)
from infrastructure_kernel.cli.output import Columns, echo_json, echo_table, json_option
from infrastructure_kernel.remedies import Explained


class NoKeysFile(Explained, click.ClickException):
    """No file is configured for the signing keys."""

    looks_like = "Error: set AUTH_KEYS_FILE to the file of the signing keys"
    cause = "The `keys` commands work on the key set in the file the settings name."
    fix = "Set AUTH_KEYS_FILE (or auth_keys_file in shop.toml) to a path only the shop reads."


class KeySetExists(Explained, click.ClickException):
    """``keys generate`` would overwrite a key set, and the tokens it signed."""

    looks_like = "Error: the key set exists; rotate it instead"
    cause = "A new key set would make every token signed with the old keys invalid at once."
    fix = "Rotate: `shop keys add`, restart every process, then `shop keys promote KID`."


class UnusableKeySet(Explained, click.ClickException):
    """The key set file is not one the ``keys`` commands can read."""

    looks_like = "Error: PATH: WHAT IS WRONG"
    cause = "The file was edited by hand, cut short, or is not a key set at all."
    fix = "Restore it from your secret store; the `keys` commands write it whole or not at all."


class NotNow(Explained, click.ClickException):
    """``keys add`` with a next key already, or ``keys promote`` of a key that is not next."""

    looks_like = "Error: KID is next already; promote it first (or: KID is not the next key)"
    cause = "A rotation adds one next key, then promotes that key, by its kid, one restart later."
    fix = "Run `shop keys list`: the key whose USE is `next` is the one to promote."


class KeyView(BaseModel):
    """A signing key as ``keys list`` shows it: its id, its age and its use, not the key."""

    kid: str
    created_at: datetime
    use: str

    @classmethod
    def of(cls, key_set: KeySet) -> list["KeyView"]:
        """One view per key: the one that signs, the next one, then those that verify."""
        return [
            cls(kid=key.kid, created_at=key.created_at, use=state.value)
            for key, state in key_set.states()
        ]


COLUMNS: Columns[KeyView] = {
    "KID": lambda key: key.kid,
    "CREATED": lambda key: key.created_at.isoformat(timespec="seconds"),
    "USE": lambda key: key.use,
}


# --8<-- [start:keys-group]
def keys_group(keys_file: Callable[[], Path | None]) -> click.Group:
    """Return the ``keys`` group, working on the key set in ``keys_file()``.

    Args:
        keys_file: Where the deployable's settings say the key set lives.
    """

    def path() -> Path:
        found = keys_file()
        if found is None:
            raise NoKeysFile("set AUTH_KEYS_FILE to the file of the signing keys")
        return found

    def load() -> KeySet:
        try:
            return load_key_set(path())
        except KeyFileError as error:
            raise UnusableKeySet(str(error)) from None

    @click.group()
    def keys() -> None:
        """Make, add, promote, retire and list the keys that sign tokens."""

    @keys.command()
    def generate() -> None:
        """Write a new key set with one key, unless the file exists."""
        target = path()
        if target.exists():
            raise KeySetExists("the key set exists; rotate it instead")
        key_set = KeySet((SigningKey.generate(datetime.now(UTC)),))
        save_key_set(key_set, target)
        click.echo(f"Wrote a key set; {key_set.current.kid} signs.")

    @keys.command()
    def add() -> None:
        """Publish a next key: it verifies at once, and signs once promoted."""
        added = SigningKey.generate(datetime.now(UTC))
        try:
            key_set = load().with_next(added)
        except ValueError as error:
            raise NotNow(str(error)) from None
        save_key_set(key_set, path())
        click.echo(f"{added.kid} is next: it verifies, and signs once promoted.")

    @keys.command()
    @click.argument("kid")
    def promote(kid: str) -> None:
        """Make the next key, KID, sign; the one that signed still verifies, older ones go.

        Promote once every process has restarted with the next key in its set.
        """
        try:
            key_set = load().promoted(kid)
        except ValueError as error:
            raise NotNow(str(error)) from None
        save_key_set(key_set, path())
        kept = ", ".join(key.kid for key in key_set.keys[1:])
        click.echo(f"{key_set.current.kid} signs now; {kept} still verifies.")

    @keys.command()
    def retire() -> None:
        """Drop the keys that only verify; the tokens they signed stop working."""
        key_set = load()
        retiring = ", ".join(key.kid for key in key_set.keys[1:]) or "no key"
        save_key_set(key_set.retired(), path())
        click.echo(f"Retired {retiring}; {key_set.current.kid} signs.")

    @keys.command("list")
    @json_option
    def list_keys(as_json: bool) -> None:  # noqa: FBT001 - a flag
        """Print the key ids: the one that signs first, then the next one, then the others."""
        key_set = load()
        if as_json:
            echo_json(key_set.public_jwks())  # public halves only
        else:
            echo_table(KeyView.of(key_set), COLUMNS)

    return keys


# --8<-- [end:keys-group]
