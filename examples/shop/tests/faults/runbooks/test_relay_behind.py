"""The runbook "the relay is behind", walked twice: with no relay, then with the broker away.

The runbook (``runbooks/relay-behind.md``, shipped with the shop) is read here and each
step's commands run as written, in ``bash``, against a copy of the seeded database (whose
outbox holds the demo data's events) and a virtual host of the fault tests' RabbitMQ node.
Between the steps the test does what the runbook leaves to the platform: it starts the
long-running relay as a supervisor would, stops the broker, and starts it again.
"""

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..fault_servers import SHOP_SCRIPT, Cluster  # noqa: TID252 - shared with the fault tests
from ..rabbitmq_node import RabbitMqNode  # noqa: TID252 - shared with the fault tests
from .broker import operators_shell, rabbitmqctl
from .test_database_down import run, steps

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "relay-behind.md"
UNITS_SOLD = "catalog.units-sold"  # the consumer whose queue takes every order placed
SEEDED_EVENTS = 32  # what `shop seed` writes to the outbox: the demo tenants' products, orders


@pytest.fixture
def environment(
    cluster: Cluster,
    seeded_database: str,
    rabbitmq: RabbitMqNode,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[dict[str, str]]:
    """An operator's shell on the shop and the broker, and the relay's log."""
    name = f"relay_behind_{request.node.name.removeprefix('test_the_runbook_finds_')[:30]}"
    with operators_shell(cluster, seeded_database, rabbitmq, name) as environment:
        yield {**environment, "RELAY_LOG": str(tmp_path / "relay.log")}


def lag(step: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """What ``shop relay status`` printed, read as the JSON it is."""
    assert step.returncode == 0, step
    printed = step.stdout[step.stdout.index("{") : step.stdout.index("}") + 1]
    found: dict[str, Any] = json.loads(printed)
    return found


def until_logged(log: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.is_file() and text in log.read_text(encoding="utf-8"):
            return
        time.sleep(0.2)
    pytest.fail(f"{log.name} did not show {text!r} within {timeout} s")


def until_published(
    commands: str, environment: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``commands`` (which show the relay's status) until nothing waits to be published."""
    deadline = time.monotonic() + timeout
    while (shown := run(commands, environment)).returncode != 0 or lag(shown)["unpublished"]:
        assert time.monotonic() < deadline, shown
        time.sleep(1)
    return shown


def orders_queued(printed: str) -> int:
    """How many messages wait in ``catalog.units-sold``, from ``rabbitmqctl list_queues``."""
    counts = dict(line.split("\t") for line in printed.splitlines() if "\t" in line)
    return int(counts[UNITS_SOLD])


def an_order_placed(environment: dict[str, str]) -> None:
    """A new product and an order for it, by the shop's own commands: two events to publish."""
    added = run("shop products add --tenant acme LAMP-001 Lamp 30.00 EUR", environment)
    assert added.returncode == 0, added
    product = json.loads(added.stdout)["id"]
    placed = run(f"shop orders place --tenant acme --line {product}:1", environment)
    assert placed.returncode == 0, placed


def test_the_runbook_finds_no_relay_running_and_catches_up(environment: dict[str, str]) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3, 4, 5, 6, 7]
    assert runbook[5] == runbook[6] == ""  # the broker and a second relay: the platform's

    first = lag(run(runbook[1], environment))
    time.sleep(1.1)
    again = lag(run(runbook[1], environment))
    assert first["unpublished"] == again["unpublished"] == SEEDED_EVENTS
    assert again["age_seconds"] > first["age_seconds"]  # not falling: nothing publishes

    cause = run(runbook[2], environment)
    assert cause.stdout == "", cause  # no line: no relay has ever run here

    caught_up = run(runbook[3], environment)
    assert f"Published {SEEDED_EVENTS} event(s)." in caught_up.stdout, caught_up
    assert lag(caught_up)["unpublished"] == 0


def test_the_runbook_finds_the_broker_away_and_sees_the_relay_resume(
    environment: dict[str, str], rabbitmq: RabbitMqNode, tmp_path: Path
) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    log = Path(environment["RELAY_LOG"])
    with log.open("ab") as output:
        relay = subprocess.Popen(  # noqa: S603 - the installed shop, as its supervisor runs it
            [str(SHOP_SCRIPT), "relay"],
            env=environment,
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        until_published(runbook[1], environment)  # the demo data's events, before the outage
        listed = rabbitmqctl(rabbitmq, "list_queues", "--vhost", environment["AMQP_VHOST"])
        queued = orders_queued(listed)
        rabbitmq.stop()  # the outage
        an_order_placed(environment)
        until_logged(log, "relaying failed; trying again in")

        behind = lag(run(runbook[1], environment))
        assert behind["unpublished"] >= 1

        cause = run(runbook[2], environment)
        assert "relaying failed; trying again in 1.0 s" in cause.stdout, cause

        side = run(runbook[4], environment)
        assert '"from": "env:AMQP_URL"' in side.stdout, side
        assert "Failed to connect and authenticate to" in side.stderr, side
        assert side.returncode != 0  # the ping, the step's last command

        rabbitmq.start()  # step 5: the broker comes back; the relay is not restarted

        confirmed = until_published(runbook[7], environment)
        assert "Ping succeeded" in confirmed.stdout, confirmed
        # The order placed during the outage reached its consumer's queue, on this host.
        assert orders_queued(confirmed.stdout) == queued + 1
        assert relay.poll() is None  # the same relay, never restarted
    finally:
        relay.terminate()
        relay.wait(timeout=30)
