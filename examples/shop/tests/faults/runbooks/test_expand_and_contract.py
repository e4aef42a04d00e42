"""The runbook "change the schema by expand and contract", walked with 0013 under load.

A database at revision 0012 serves the release before 0013 (``old_release.py``: this
wheel with 0013's change to its code taken back out, so it sends that release's
statements) while workers place and list orders without pause. A transaction holds the
``orders`` table when the runbook's upgrade first runs, so the migration gives up on its
lock timeout; the runbook finds the holder, which the test then ends, and the upgrade
runs again. The new release (the installed shop) starts beside the old one, both take
the load, the new one is rolled back, and the schema is downgraded to 0012 under the old
release at the end. No request may fail, and none may wait much beyond the lock timeout.
"""

import asyncio
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import httpx
from alembic import command
from sqlalchemy import Connection, inspect, make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from shop.infrastructure.database.schema import MIGRATIONS

from ..fault_servers import (  # noqa: TID252 - shared with the fault tests
    SHOP_SCRIPT,
    Cluster,
    owner_of_acme,
)
from .shop_server import serving
from .test_database_down import run, steps

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "expand-and-contract.md"
OLD_RELEASE = Path(__file__).with_name("old_release.py")
LOCK_TIMEOUT = 2.0  # seconds: migration 0013's
WORKERS = 4
AS_ACME = {"X-Tenant-ID": "acme"}
# A request may wait for the migration's lock request up to the lock timeout, and a busy
# two-core machine adds its share.
ANSWER_BOUND = LOCK_TIMEOUT + 2.0


@dataclass
class Load:
    """Workers that place and list orders without pause on the releases in ``targets``.

    ``targets`` holds each release's name and URL. It is replaced, never changed in
    place, so each worker reads a whole tuple: what a balancer does when it adds a
    replica, or stops sending to one.
    """

    targets: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    product: str
    answers: dict[str, int] = field(default_factory=dict)
    wrong: list[str] = field(default_factory=list)
    slowest: float = 0.0
    slow: int = 0  # answers that took longer than half the lock timeout
    stop: threading.Event = field(default_factory=threading.Event)

    def _ask(
        self, client: httpx.Client, name: str, method: str, url: str, **kwargs: object
    ) -> None:
        started = time.monotonic()
        try:
            response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError as error:
            self.wrong.append(f"{method} {url}: no answer: {error!r}")
            return
        took = time.monotonic() - started
        self.slowest = max(self.slowest, took)
        self.slow += took > LOCK_TIMEOUT / 2
        key = f"{name} {method} {response.status_code}"
        self.answers[key] = self.answers.get(key, 0) + 1
        if response.status_code not in {200, 201}:
            self.wrong.append(f"{method} {url}: {response.status_code} {response.text[:200]}")

    def work(self, index: int) -> None:
        body = {"lines": [{"product_id": self.product, "quantity": 1}]}
        with httpx.Client(timeout=30, headers=self.headers) as client:
            while not self.stop.is_set():
                targets = self.targets
                name, url = targets[index % len(targets)]
                index += 1
                key = {**AS_ACME, "Idempotency-Key": str(uuid4())}
                self._ask(client, name, "POST", f"{url}/api/v1/orders", json=body, headers=key)
                self._ask(client, name, "GET", f"{url}/api/v1/orders?limit=5", headers=AS_ACME)

    @contextmanager
    def running(self) -> Iterator["Load"]:
        workers = [threading.Thread(target=self.work, args=(i,)) for i in range(WORKERS)]
        for worker in workers:
            worker.start()
        try:
            yield self
        finally:
            self.stop.set()
            for worker in workers:
                worker.join(timeout=60)


def release(
    program: list[str], environment: dict[str, str], workdir: Path, name: str
) -> AbstractContextManager[str]:
    """Serve a release on a port of its own until the block ends; yield its URL."""
    # Two releases start side by side on two busy cores: a longer wait than one's.
    return serving(environment, workdir, log=f"{name}.log", program=program, timeout=90)


def migrate(url: str, step: str, revision: str) -> None:
    """Upgrade or downgrade the database at ``url`` to ``revision``, in this process."""

    async def migrated() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(
                    lambda sync: getattr(command, step)(MIGRATIONS.config(sync), revision)
                )
        finally:
            await engine.dispose()

    asyncio.run(migrated())


def order_columns(url: str) -> list[str]:
    async def columns() -> list[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:

                def names(sync: Connection) -> list[str]:
                    return [column["name"] for column in inspect(sync).get_columns("orders")]

                return await connection.run_sync(names)
        finally:
            await engine.dispose()

    return asyncio.run(columns())


@contextmanager
def holding_orders(url: str) -> Iterator[threading.Event]:
    """A transaction that has read ``orders`` and stays open until the event is set."""
    opened, done = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    async def hold() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("SELECT count(*) FROM orders"))
                opened.set()
                while not done.is_set():
                    await asyncio.sleep(0.05)
        finally:
            await engine.dispose()

    def holder() -> None:
        try:
            asyncio.run(hold())
        except BaseException as error:
            failed.append(error)
            opened.set()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert opened.wait(timeout=10)
        assert failed == []
        yield done
    finally:
        done.set()
        thread.join(timeout=10)


def test_the_expand_migration_runs_under_the_old_release_and_the_new_release_rolls_back(  # noqa: PLR0915 - one walk through the runbook
    cluster: Cluster, seeded_database: str, tmp_path: Path
) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert runbook[4] == runbook[7] == ""  # deploying and rolling back are the platform's
    database = cluster.create_database("expand", seeded_database)
    migrate(database, "downgrade", "0012")  # the schema the old release runs on
    assert "placed_by" not in order_columns(database)
    owner = owner_of_acme(tmp_path / "signing-keys.json")
    plain = make_url(database).set(drivername="postgresql")
    environment = {
        **os.environ,
        "PATH": os.pathsep.join(
            [str(Path(sys.executable).parent), str(cluster.programs), os.environ["PATH"]]
        ),
        "DATABASE_URL": database,
        "LOG_LEVEL": "WARNING",
        "AUTH_KEYS_FILE": str(tmp_path / "signing-keys.json"),
        "RATE_LIMIT_PER_USER": "1000000/minute",
        "RATE_LIMIT_PER_ADDRESS": "1000000/minute",
        "DB_URL": plain.render_as_string(hide_password=False),
    }
    old_release = [sys.executable, str(OLD_RELEASE)]
    with release(old_release, environment, tmp_path, "old") as old_url:
        environment["SHOP_URL"] = old_url
        product = httpx.get(
            f"{old_url}/api/v1/products", headers={**owner, **AS_ACME}, timeout=10
        ).json()["items"][0]["id"]
        load = Load((("old", old_url),), owner, product)
        with load.running():
            time.sleep(1)
            before = run(runbook[1], environment)
            assert before.stdout.splitlines()[-2:] == ["ready: 200", "0"], before

            with holding_orders(database):
                refused = run(runbook[2], environment)
                assert refused.returncode != 0, refused
                assert "LockNotAvailableError" in refused.stderr, refused
                assert "canceling statement due to lock timeout" in refused.stderr
                assert "placed_by" not in order_columns(database)  # nothing was changed

                holders = run(runbook[3], environment)
                assert "|idle in transaction|" in holders.stdout, holders
                assert "SELECT count(*) FROM orders" in holders.stdout
            # The holder ended (the test's part of step 3); the upgrade again:
            expanded = run(runbook[2], environment)
            assert expanded.stdout == (
                "Upgraded the schema from revision 0012 to 0013:\n"
                "  0013  Record who placed each order: a nullable column, added without"
                " waiting on traffic.\n"
            ), expanded
            time.sleep(1)  # the old release serves on the expanded schema

            with release([str(SHOP_SCRIPT)], environment, tmp_path, "new") as new_url:  # step 4
                environment["NEW_URL"] = new_url
                gated = run(runbook[5], environment)
                assert gated.stdout.strip() == "new release: ready", gated
                load.targets = (("old", old_url), ("new", new_url))
                time.sleep(2)
                recorded = run(runbook[6], environment)
                counts = dict(line.split("|") for line in recorded.stdout.split())
                assert sorted(counts) == ["f", "t"], recorded
                assert int(counts["t"]) > 0
                load.targets = (("old", old_url),)  # step 7: the rollback stops sending to it
                time.sleep(1)  # the requests it has in hand are answered
            time.sleep(1)

            rolled_back = run(runbook[8], environment)
            assert "ready: 200" in rolled_back.stdout, rolled_back
            migrate(database, "downgrade", "0012")  # and even the schema, under the old release
            assert "placed_by" not in order_columns(database)
            time.sleep(1)

    assert load.wrong == []
    for name in ("old", "new"):  # each release placed and listed orders
        assert load.answers[f"{name} POST 201"] > 0, load.answers
        assert load.answers[f"{name} GET 200"] > 0, load.answers
    assert load.slow > 0  # requests did queue behind the migration's lock request
    assert load.slowest < ANSWER_BOUND  # and no longer than the lock timeout allows
