"""``shop keys``: make, rotate, retire and list the keys that sign access tokens.

The key set lives in the file the deployable's settings name (``AUTH_KEYS_FILE``), a
secret's place: the commands write it readable by its owner alone, and print key ids,
never keys. After a rotation, every server process reads the file again when it
restarts; tokens signed with the previous key stay valid until they expire.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click
from pydantic import BaseModel

from identity.infrastructure.security.signing_keys import (
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
    fix = "Run `shop keys rotate`: the new key signs, the previous one still verifies."


class KeyView(BaseModel):
    """A signing key as ``keys list`` shows it: its id, its age and its use, not the key."""

    kid: str
    created_at: datetime
    use: str

    @classmethod
    def of(cls, key_set: KeySet) -> list["KeyView"]:
        """One view per key, newest first: the first signs, every one verifies."""
        return [
            cls(kid=key.kid, created_at=key.created_at, use="signs" if n == 0 else "verifies")
            for n, key in enumerate(key_set.keys)
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

    @click.group()
    def keys() -> None:
        """Make, rotate, retire and list the keys that sign tokens."""

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
    def rotate() -> None:
        """Add a new signing key; the previous one still verifies, older ones go."""
        target = path()
        key_set = load_key_set(target).rotated(datetime.now(UTC))
        save_key_set(key_set, target)
        kept = ", ".join(key.kid for key in key_set.keys[1:])
        click.echo(f"{key_set.current.kid} signs now; {kept} still verifies.")

    @keys.command()
    def retire() -> None:
        """Drop every key but the one that signs; the tokens they signed stop working."""
        target = path()
        key_set = load_key_set(target)
        retiring = ", ".join(key.kid for key in key_set.keys[1:]) or "no key"
        save_key_set(key_set.retired(), target)
        click.echo(f"Retired {retiring}; {key_set.current.kid} signs and verifies alone.")

    @keys.command("list")
    @json_option
    def list_keys(as_json: bool) -> None:  # noqa: FBT001 - a flag
        """Print the key ids, newest first; the first one signs."""
        key_set = load_key_set(path())
        if as_json:
            echo_json(key_set.public_jwks())  # public halves only
        else:
            echo_table(KeyView.of(key_set), COLUMNS)

    return keys


# --8<-- [end:keys-group]
