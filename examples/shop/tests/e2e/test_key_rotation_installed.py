"""A key rotation across a rolling restart: two installed shops on one database.

During a rolling restart, some processes have read the key set file a rotation step
wrote and the others still hold the set they read before it. Here an "old replica" runs
on the file before a step and a "new replica" on the file after it; a client logged in
on one is sent to the other, as a load balancer would send it. The two-step rotation
(``keys add``, a restart, ``keys promote``) refuses no token at any step; the one-step
rotation, the new key signing at once, makes the old replica refuse the new one's tokens.
"""

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import httpx
import jwt
import pytest

from .conftest import run_shop, serving

CHEAP_HASHES = {  # the lowest cost: logins are not under test
    "PASSWORD_HASH_MEMORY_COST": "8",
    "PASSWORD_HASH_TIME_COST": "1",
    "PASSWORD_HASH_PARALLELISM": "1",
}


class Replicas:
    """Two shops on one database, each with its own key set file, and a user of both."""

    def __init__(self, workdir: Path, environment: dict[str, str]) -> None:
        self.workdir = workdir
        self.environment = {**environment, **CHEAP_HASHES, "LOG_LEVEL": "WARNING"}
        self.environment["PATH"] = os.pathsep.join(
            [str(Path(sys.executable).parent), self.environment.get("PATH", "")]
        )
        self.account = {
            "email": f"rotation-{uuid4().hex[:8]}@example.org",
            "display_name": "Rotation",
            "password": "a-password-for-the-rotation",
        }

    def keys(self, path: Path, *args: str) -> str:
        """Run ``shop keys ARGS`` on the key set file ``path``; return what it printed."""
        done = run_shop(
            "keys",
            *args,
            environment={**self.environment, "AUTH_KEYS_FILE": str(path)},
            cwd=self.workdir,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def copy(self, source: Path, name: str) -> Path:
        """A copy of the key set file ``source``: what the other replicas still read."""
        target = self.workdir / name
        shutil.copy2(source, target)
        return target

    @contextmanager
    def serving(self, old: Path, new: Path) -> Iterator[dict[str, str]]:
        """Serve an old replica on ``old`` and a new one on ``new``; yield their URLs.

        Each logs to ``server.log`` in a folder of its own.
        """
        with (
            serving(
                self.replica("old"), {**self.environment, "AUTH_KEYS_FILE": str(old)}
            ) as before,
            serving(self.replica("new"), {**self.environment, "AUTH_KEYS_FILE": str(new)}) as after,
        ):
            yield {"old": before, "new": after}

    def replica(self, name: str) -> Path:
        folder = self.workdir / name
        folder.mkdir(exist_ok=True)
        return folder

    def log_in(self, url: str) -> str:
        """An access token, from the login of the user at ``url`` (registered first)."""
        httpx.post(f"{url}/api/v1/auth/register", json=self.account)  # 201, or 409 once known
        form = {
            "grant_type": "password",
            "username": self.account["email"],
            "password": self.account["password"],
        }
        response = httpx.post(f"{url}/api/v1/auth/token", data=form)
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def refusals(self, urls: dict[str, str]) -> dict[str, str]:
        """Every request refused when a token from one replica is checked by either.

        Returns:
            For each refusal, which replica signed the token and which one refused it,
            keyed by the token's ``kid``; an empty mapping when no token is refused.
        """
        refused: dict[str, str] = {}
        for signer, url in urls.items():
            token = self.log_in(url)
            for verifier, other in urls.items():
                headers = {"Authorization": f"Bearer {token}"}
                status = httpx.get(f"{other}/api/v1/me", headers=headers).status_code
                assert status in {200, 401}, status
                if status == 401:
                    refused[kid(token)] = f"{signer}'s token refused by {verifier}"
        return refused


def kid(token: str) -> str:
    found: str = jwt.get_unverified_header(token)["kid"]
    return found


@pytest.fixture
def replicas(workdir: Path, environment: dict[str, str], base_url: str) -> Replicas:
    """Two replicas on the suite's database, which ``base_url`` has migrated."""
    assert base_url
    folder = workdir / f"rotation-{uuid4().hex[:8]}"
    folder.mkdir()
    return Replicas(folder, environment)


def test_the_two_step_rotation_refuses_no_token_during_either_rolling_restart(
    replicas: Replicas,
) -> None:
    before = replicas.workdir / "keys-before.json"
    replicas.keys(before, "generate")
    first = replicas.keys(before, "list").splitlines()[2].split()[0]

    published = replicas.copy(before, "keys-published.json")  # step 1: keys add
    added = replicas.keys(published, "add")
    upcoming = added.split()[0]
    with replicas.serving(before, published) as urls:  # the first rolling restart
        assert replicas.refusals(urls) == {}
        assert {kid(replicas.log_in(url)) for url in urls.values()} == {first}

    promoted = replicas.copy(published, "keys-promoted.json")  # step 2: keys promote
    replicas.keys(promoted, "promote", upcoming)
    with replicas.serving(published, promoted) as urls:  # the second rolling restart
        assert replicas.refusals(urls) == {}
        assert kid(replicas.log_in(urls["old"])) == first
        assert kid(replicas.log_in(urls["new"])) == upcoming  # the new key signs


def test_the_one_step_rotation_makes_a_replica_not_yet_restarted_refuse_tokens(
    replicas: Replicas,
) -> None:
    before = replicas.workdir / "keys-before.json"
    replicas.keys(before, "generate")
    rotated = replicas.copy(before, "keys-rotated.json")
    upcoming = replicas.keys(rotated, "add").split()[0]
    replicas.keys(rotated, "promote", upcoming)  # at once: no restart in between

    with replicas.serving(before, rotated) as urls:  # one rolling restart
        assert replicas.refusals(urls) == {upcoming: "new's token refused by old"}
