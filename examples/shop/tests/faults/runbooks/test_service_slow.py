"""The runbook "the service is slow", walked while a session of this test holds a lock.

The failure is a common one: someone's ``psql`` began a transaction, locked the orders
table, and went away. The shop's requests for orders wait on the lock, each holding one of
the pool's connections, until the pool is exhausted and the next requests are refused with
``503`` after the pool's timeout. The test makes that happen on a PostgreSQL server of its
own, with clients asking for orders all the while, runs each step of the runbook
(``runbooks/service-slow.md``) as written and asserts what the runbook says it prints.
"""

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import make_url

from ..fault_servers import Cluster, serve  # noqa: TID252 - shared with the fault tests
from .test_database_down import run, steps

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "service-slow.md"
AS_ACME = {"X-Tenant-ID": "acme"}
POOL = {"DATABASE_POOL_SIZE": "2", "DATABASE_MAX_OVERFLOW": "0", "DATABASE_POOL_TIMEOUT": "1"}


@contextmanager
def forgotten_transaction(environment: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """A ``psql`` session that locks the orders table in a transaction and waits."""
    session = subprocess.Popen(
        ["psql", "--quiet", "--no-psqlrc"],  # noqa: S607 - psql from the PATH
        env={**environment, "PGAPPNAME": "someones-console"},
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert session.stdin is not None
    session.stdin.write("BEGIN;\nLOCK TABLE orders IN ACCESS EXCLUSIVE MODE;\n")
    session.stdin.flush()
    try:
        yield session
    finally:
        session.stdin.close()
        session.wait(timeout=10)


@contextmanager
def clients(url: str, count: int, owner: dict[str, str]) -> Iterator[None]:
    """``count`` clients of an owner asking for orders without pause, until the block ends."""
    stop = threading.Event()

    def ask() -> None:
        with httpx.Client(base_url=url, timeout=60, headers=owner) as client:
            while not stop.is_set():
                client.get("/api/v1/orders?limit=50", headers=AS_ACME)

    threads = [threading.Thread(target=ask) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)


def locked(environment: dict[str, str]) -> bool:
    """Whether the shop's statements are waiting on a lock yet."""
    waiting = run(
        "psql -Atc \"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'\"",
        environment,
    )
    return waiting.stdout.strip() not in {"", "0"}


def test_the_runbook_finds_the_forgotten_lock_and_sees_the_shop_recover(
    cluster: Cluster, seeded_database: str, tmp_path: Path
) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3, 4, 5]
    # Blocked statements wait for the lock instead of being cancelled by the timeout.
    settings = {**POOL, "DATABASE_STATEMENT_TIMEOUT": "60"}
    with serve(cluster, seeded_database, "slow", tmp_path, **settings) as shop:
        database = make_url(shop.environment["DATABASE_URL"])
        environment = {
            **shop.environment,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
            "SHOP_URL": shop.url,
            "TENANT": "acme",
            "TOKEN": shop.owner["Authorization"].removeprefix("Bearer "),
            "DB_HOST": str(database.host),
            "DB_PORT": str(database.port),
            "DB_NAME": str(database.database),
            "PGUSER": str(database.username),
        }
        psql = {**environment, "PGHOST": str(database.host), "PGPORT": str(database.port)}
        psql["PGDATABASE"] = str(database.database)
        with forgotten_transaction(psql), clients(shop.url, 4, shop.owner):
            deadline = time.monotonic() + 30
            while not locked(psql):
                assert time.monotonic() < deadline, "the shop's statements never waited"
                time.sleep(0.2)

            measured = run(runbook[1], environment)
            assert re.search(r"orders: 503 in 1\.\d+s", measured.stdout), measured
            assert 'db_client_connections{state="used"} 2.0' in measured.stdout
            assert "db_client_connections_pool_size 2.0" in measured.stdout

            waiting = run(runbook[2], environment)
            # The pool's two connections, each waiting on the session that holds the lock.
            assert waiting.stdout.count("| Lock") >= 2, waiting

            blocker = run(runbook[3], environment)
            assert "someones-console" in blocker.stdout, blocker
            assert "idle in transaction" in blocker.stdout
            assert "LOCK TABLE orders" in blocker.stdout

            ended = run(runbook[4], environment)
            assert re.search(r"^\s*t$", ended.stdout, flags=re.MULTILINE), ended

        recovered = run(runbook[5], environment)
        assert recovered.returncode == 0, recovered
        assert re.search(r"orders: 200 in 0\.\d+s", recovered.stdout), recovered
        used = re.search(r'db_client_connections\{state="used"\} (\d)', recovered.stdout)
        assert used is not None, recovered
        assert int(used[1]) < 2
