"""The runbooks "rotate the signing keys" and "revoke a user's sessions", walked for real.

Each runbook (``runbooks/*.md``, shipped with the shop) is read here and each step's
commands run as written, in ``bash``, against the installed shop this test serves on a
SQLite file, with the variables the runbook asks for. Where a runbook leaves a step to
the platform (restart every process), the test restarts its server as a rolling restart
does: the new process starts while the old one still serves, and a client may reach
either. Between the steps, the test plays a user: it logs in, and checks which of its
tokens still work, and where.
"""

import os
import re
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import jwt

# The shop's server and the runbook walker, beside this file.
from .shop_server import serving
from .test_database_down import run, steps

RUNBOOKS = Path(__file__).parents[3] / "runbooks"
ANN = {"email": "ann@example.org", "display_name": "Ann", "password": "correct horse battery"}


def shop_environment(tmp_path: Path, *setup: str, **settings: str) -> dict[str, str]:
    """The variables of a shop on a SQLite file of its own with ``settings``, set up.

    Args:
        tmp_path: The test's folder, where the database file and the mail go.
        setup: Commands that prepare the shop, run in turn; the schema is migrated last.
        settings: Variables to set.
    """
    environment = {
        **os.environ,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}",
        "MAIL_DIR": str(tmp_path / "mail"),
        "LOG_LEVEL": "WARNING",
        "PASSWORD_HASH_MEMORY_COST": "8",  # the lowest cost: logins are not under test
        "PASSWORD_HASH_TIME_COST": "1",
        "PASSWORD_HASH_PARALLELISM": "1",
        **settings,
    }
    environment.pop("REDIS_URL", None)
    environment.pop("AMQP_URL", None)
    for command in (*setup, "shop db upgrade"):
        done = run(command, environment)
        assert done.returncode == 0, done
    return environment


def log_in(url: str, *, register: bool = False) -> dict[str, Any]:
    if register:
        assert httpx.post(f"{url}/api/v1/auth/register", json=ANN).status_code == 201
    form = {"grant_type": "password", "username": ANN["email"], "password": ANN["password"]}
    response = httpx.post(f"{url}/api/v1/auth/token", data=form)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def me(url: str, access_token: str) -> int:
    headers = {"Authorization": f"Bearer {access_token}"}
    return httpx.get(f"{url}/api/v1/me", headers=headers).status_code


def kid(token: str) -> str:
    found: str = jwt.get_unverified_header(token)["kid"]
    return found


def started(environment: dict[str, str], workdir: Path) -> tuple[str, ExitStack]:
    """Start a server as :func:`serving` does; closing the stack stops it."""
    server = ExitStack()
    return server.enter_context(serving(environment, workdir)), server


def refused_anywhere(*urls: str) -> list[tuple[str, str]]:
    """Log in at each server and show the token to each: the pairs where it is refused."""
    tokens = {url: log_in(url)["access_token"] for url in urls}
    return [(signer, at) for signer in urls for at in urls if me(at, tokens[signer]) != 200]


def test_the_rotation_runbook_refuses_no_token_until_it_retires_the_old_key(
    tmp_path: Path,
) -> None:
    runbook = steps((RUNBOOKS / "rotate-signing-keys.md").read_text(encoding="utf-8"))
    assert sorted(runbook) == list(range(1, 11))
    assert runbook[3] == runbook[6] == runbook[9] == ""  # the restarts: the platform's
    keys = tmp_path / "keys"
    environment = shop_environment(
        tmp_path,
        "shop keys generate",
        AUTH_KEYS_FILE=str(keys),
        ACCESS_TOKEN_LIFETIME="300",  # noqa: S106 - seconds, not a secret
    )
    with ExitStack() as servers:
        url, before = started(environment, tmp_path)
        servers.enter_context(before)
        environment["SHOP_URL"] = url
        old_token = log_in(url, register=True)["access_token"]
        old = kid(old_token)

        listed = run(runbook[1], environment)
        assert re.search(rf"^{old} .* signs$", listed.stdout, re.MULTILINE), listed
        assert f'"kid":"{old}"' in listed.stdout
        assert '"d"' not in listed.stdout  # the public half only

        added = run(runbook[2], environment)
        new = re.fullmatch(r"(\S+) is next: it verifies, and signs once promoted\.\n", added.stdout)
        assert new is not None, added

        url, after = started(environment, tmp_path)  # step 3: a process restarts
        servers.enter_context(after)
        assert refused_anywhere(environment["SHOP_URL"], url) == []  # either may answer
        assert kid(log_in(url)["access_token"]) == old  # the new key signs nothing yet
        before.close()  # and the last one restarts
        environment["SHOP_URL"] = url

        published = run(runbook[4], environment)
        assert published.stdout.index(old) < published.stdout.index(new[1]), published
        assert re.search(rf"^{new[1]} .* next$", published.stdout, re.MULTILINE)

        environment["NEXT_KID"] = new[1]  # the kid step 2 printed
        promoted = run(runbook[5], environment)
        assert promoted.stdout == f"{new[1]} signs now; {old} still verifies.\n", promoted

        url, again = started(environment, tmp_path)  # step 6: restarted again
        servers.enter_context(again)
        assert refused_anywhere(environment["SHOP_URL"], url) == []
        assert kid(log_in(url)["access_token"]) == new[1]  # the new key signs
        assert me(url, old_token) == 200  # the overlap: the old key still verifies
        after.close()
        environment["SHOP_URL"] = url

        lifetime = run(runbook[7], environment)
        assert '"value": 300' in lifetime.stdout, lifetime

        retired = run(runbook[8], environment)
        assert retired.stdout == f"Retired {old}; {new[1]} signs.\n", retired

        url, last = started(environment, tmp_path)  # step 9: restarted a third time
        servers.enter_context(last)
        again.close()
        environment["SHOP_URL"] = url
        assert me(url, old_token) == 401  # unexpired, and its key retired

        confirmed = run(runbook[10], environment)
        assert new[1] in confirmed.stdout, confirmed
        assert old not in confirmed.stdout


def test_the_revocation_runbook_ends_every_login_and_a_new_one_works(tmp_path: Path) -> None:
    runbook = steps((RUNBOOKS / "revoke-sessions.md").read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3]
    assert runbook[3] == ""  # waiting out the access tokens
    environment = shop_environment(tmp_path, USER_EMAIL=ANN["email"])
    with serving(environment, tmp_path) as url:
        environment["SHOP_URL"] = url
        phone = log_in(url, register=True)
        laptop = log_in(url)

        revoked = run(runbook[1], environment)
        assert revoked.stdout == (
            "Revoked every login of ann@example.org; the access tokens issued work until"
            " they expire, within 300 seconds.\n"
        ), revoked
        for login in (phone, laptop):
            refreshed = httpx.post(
                f"{url}/api/v1/auth/token",
                data={"grant_type": "refresh_token", "refresh_token": login["refresh_token"]},
            )
            assert (refreshed.status_code, refreshed.json()["error"]) == (400, "invalid_grant")
        assert me(url, phone["access_token"]) == 200  # until it expires, as the runbook says
        assert me(url, log_in(url)["access_token"]) == 200  # a new login works

        reset = run(runbook[2], environment)
        assert reset.stdout == "reset: 202\n", reset
        assert any((tmp_path / "mail" / "new").iterdir())  # the reset link, mailed
