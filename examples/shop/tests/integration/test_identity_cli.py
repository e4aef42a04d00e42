"""``shop keys`` and ``shop users``, and the key set the shop starts with."""

import asyncio
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pydantic import SecretStr

from identity.domain.entities.user import User
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.permissions import ROLE_PERMISSIONS
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.user_repository import SqlAlchemyUserRepository
from identity.infrastructure.security.signing_keys import load_key_set
from identity.presentation.cli.roles import permission_matrix
from shared_kernel.authorization import Permission
from shop.bootstrap import bootstrap, signing_keys
from shop.infrastructure.database.engine import create_engine
from shop.presentation.cli.main import cli
from shop.settings import Settings


def shop(*args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


# --8<-- [start:keys-cli]
def test_keys_are_generated_added_promoted_and_listed_by_id(tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "keys.json"
    path.parent.mkdir()
    env = {"AUTH_KEYS_FILE": str(path)}

    generated = shop("keys", "generate", **env)
    twice = shop("keys", "generate", **env)
    first = load_key_set(path).current.kid
    added = shop("keys", "add", **env)
    listed = shop("keys", "list", **env)
    published = shop("keys", "list", "--json", **env)
    signing, upcoming = [key.kid for key, _ in load_key_set(path).states()]
    promoted = shop("keys", "promote", upcoming, **env)

    assert generated.output == f"Wrote a key set; {first} signs.\n"
    assert (twice.exit_code, twice.output) == (
        1,
        "Error: the key set exists; rotate it instead\n",
    )
    assert added.output == f"{upcoming} is next: it verifies, and signs once promoted.\n"
    assert signing == first  # adding a key changes nothing that signs
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert listed.output.splitlines()[0].split() == ["KID", "CREATED", "USE"]
    assert [line.split()[::2] for line in listed.output.splitlines()[2:]] == [
        [first, "signs"],
        [upcoming, "next"],
    ]
    assert '"d"' not in published.output
    assert [key["kid"] for key in json.loads(published.output)["keys"]] == [first, upcoming]
    assert promoted.output == f"{upcoming} signs now; {first} still verifies.\n"
    assert load_key_set(path).current.kid == upcoming


# --8<-- [end:keys-cli]


def test_keys_add_once_and_promote_only_the_next_key(tmp_path: Path) -> None:
    env = {"AUTH_KEYS_FILE": str(tmp_path / "keys.json")}
    shop("keys", "generate", **env)
    first = load_key_set(tmp_path / "keys.json").current.kid

    early = shop("keys", "promote", first, **env)
    shop("keys", "add", **env)
    upcoming = load_key_set(tmp_path / "keys.json").states()[1][0].kid
    again = shop("keys", "add", **env)
    wrong = shop("keys", "promote", first, **env)

    assert (early.exit_code, early.output) == (
        1,
        f"Error: {first} is not the next key; no key is next\n",
    )
    assert again.output == f"Error: {upcoming} is next already; promote it first\n"
    assert wrong.output == f"Error: {first} is not the next key; {upcoming} is next\n"
    assert load_key_set(tmp_path / "keys.json").current.kid == first  # nothing changed


def test_keys_retire_leaves_the_signing_and_the_next_key(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    env = {"AUTH_KEYS_FILE": str(path)}
    shop("keys", "generate", **env)
    alone = shop("keys", "retire", **env)
    shop("keys", "add", **env)
    shop("keys", "promote", load_key_set(path).states()[1][0].kid, **env)
    shop("keys", "add", **env)
    current, upcoming, first = [key.kid for key, _ in load_key_set(path).states()]

    retired = shop("keys", "retire", **env)

    assert alone.output == f"Retired no key; {first} signs.\n"
    assert retired.output == f"Retired {first}; {current} signs.\n"
    assert [key.kid for key, _ in load_key_set(path).states()] == [current, upcoming]


def test_keys_refuse_a_key_file_that_is_not_a_key_set(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text('{"keys": [{"kid": "a b"}]}')

    for command in (["list"], ["add"], ["promote", "a"], ["retire"]):
        result = shop("keys", *command, AUTH_KEYS_FILE=str(path))

        assert (result.exit_code, result.output) == (
            1,
            f"Error: {path}: key 1: its kid is not 1 to 64 letters, digits, '.', '_' or '-'\n",
        )


def test_keys_need_the_setting_that_says_where_they_live() -> None:
    result = shop("keys", "list")

    assert (result.exit_code, result.output) == (
        1,
        "Error: set AUTH_KEYS_FILE to the file of the signing keys\n",
    )


def test_config_show_masks_where_the_keys_live(tmp_path: Path) -> None:
    result = shop("config", "show", AUTH_KEYS_FILE=str(tmp_path / "keys.json"))

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["auth_keys_file"]["value"] == "**********"
    assert str(tmp_path) not in result.output


def test_the_shop_signs_with_the_key_set_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    assert shop("keys", "generate", AUTH_KEYS_FILE=str(path)).exit_code == 0
    settings = Settings(_env_file=None, auth_keys_file=SecretStr(str(path)))

    services = bootstrap(settings)

    assert services.signing_keys.current.kid == load_key_set(path).current.kid
    unset = Settings(_env_file=None)
    assert signing_keys(unset).current.kid != signing_keys(unset).current.kid  # one per process
    with pytest.raises(OSError, match="No such file"):
        signing_keys(Settings(_env_file=None, auth_keys_file=SecretStr(str(tmp_path / "no"))))


async def add_ann(database_url: str, email: str = "ann@example.org") -> None:
    engine = create_engine(Settings(_env_file=None, database_url=SecretStr(database_url)))
    try:
        now = datetime.now(UTC)
        user = User(UserId.new(), EmailAddress(email), DisplayName("Ann"), "h", now)
        await SqlAlchemyUserRepository(engine).add(user)
    finally:
        await engine.dispose()


def test_users_grant_makes_a_member_and_refuses_unknown_users(database_url: str) -> None:
    env = {"DATABASE_URL": database_url}
    assert shop("db", "upgrade", **env).exit_code == 0
    assert shop("tenants", "add", "acme", "Acme", **env).exit_code == 0

    unknown = shop("users", "grant", "ann@example.org", "acme", "clerk", **env)
    asyncio.run(add_ann(database_url))
    granted = shop("users", "grant", "Ann@example.org", "acme", "clerk", **env)
    bad_role = shop("users", "grant", "ann@example.org", "acme", "king", **env)

    assert (unknown.exit_code, unknown.output) == (1, "Error: no user has this e-mail address\n")
    assert granted.exit_code == 0, granted.output
    assert json.loads(granted.output)["memberships"] == [{"tenant_id": "acme", "role": "clerk"}]
    assert bad_role.exit_code == 2


def test_users_link_makes_a_providers_user_a_shop_user_once(database_url: str) -> None:
    env = {"DATABASE_URL": database_url}
    assert shop("db", "upgrade", **env).exit_code == 0
    asyncio.run(add_ann(database_url))
    idp = "https://idp.example"

    linked = shop("users", "link", "ann@example.org", idp, "idp|ann", **env)
    again = shop("users", "link", "ann@example.org", idp, "idp|ann", **env)
    asyncio.run(add_ann(database_url, "bob@example.org"))
    elsewhere = shop("users", "link", "bob@example.org", idp, "idp|ann", **env)
    unknown = shop("users", "link", "eve@example.org", idp, "idp|eve", **env)
    overlong = shop("users", "link", "ann@example.org", idp, "x" * 256, **env)

    assert linked.exit_code == 0, linked.output
    assert json.loads(linked.output)["email"] == "ann@example.org"
    assert again.exit_code == 0, again.output
    assert (elsewhere.exit_code, elsewhere.output) == (
        1,
        "Error: the external identity is linked to another user\n",
    )
    assert (unknown.exit_code, unknown.output) == (1, "Error: no user has this e-mail address\n")
    assert overlong.exit_code == 2
    assert "the subject has 1 to 255 characters" in overlong.output


def test_users_revoke_sessions_says_what_stays_valid(database_url: str) -> None:
    env = {"DATABASE_URL": database_url, "ACCESS_TOKEN_LIFETIME": "120"}
    assert shop("db", "upgrade", **env).exit_code == 0
    asyncio.run(add_ann(database_url))

    revoked = shop("users", "revoke-sessions", "ann@example.org", **env)
    unknown = shop("users", "revoke-sessions", "eve@example.org", **env)

    assert (revoked.exit_code, revoked.output) == (
        0,
        "Revoked every login of ann@example.org; the access tokens issued work until they"
        " expire, within 120 seconds.\n",
    )
    assert (unknown.exit_code, unknown.output) == (1, "Error: no user has this e-mail address\n")


# --8<-- [start:roles-cli]
def test_the_roles_command_prints_the_permission_table() -> None:
    printed = shop("users", "roles")

    assert printed.exit_code == 0, printed.output
    rows = [line.split() for line in printed.output.splitlines()]
    assert rows[0] == ["permission", *[role.value for role in Role]]
    for row in rows[2:]:
        held = {role.value for role in Role if Permission(row[0]) in ROLE_PERMISSIONS[role]}
        assert row[1:] == ["yes" if role.value in held else "-" for role in Role]
    assert len(rows[2:]) == len(Permission)


def test_the_authorization_page_shows_the_same_table_in_markdown() -> None:
    lines = permission_matrix()

    assert lines[0] == "| `permission` | `owner` | `manager` | `clerk` | `customer` |"
    assert lines[2] == "| `catalog:read` | yes | yes | yes | yes |"
    assert lines[-1] == "| `audit:read` | yes | - | - | - |"


# --8<-- [end:roles-cli]
