"""The runbook "messages in the dead-letter queue", walked against a dead letter this test makes.

The runbook (``runbooks/dead-letters.md``, shipped with the shop) is read here and each
step's commands run as written, in ``bash``, against a copy of the seeded database and a
virtual host of the fault tests' RabbitMQ node. The dead letter is a real one: an order
placed and published while the consumer's database is stopped, which the consumer tries
five times and gives up on. Between the steps the test does what the runbook leaves to the
platform: it starts the database again, and runs the consumer as its supervisor would.
"""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..fault_servers import Cluster  # noqa: TID252 - shared with the fault tests
from ..rabbitmq_node import RabbitMqNode  # noqa: TID252 - shared with the fault tests
from .broker import operators_shell
from .test_database_down import run, steps
from .test_relay_behind import an_order_placed

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "dead-letters.md"
CONSUMER = "catalog.units-sold"
RELAY = "shop relay --once"
# The consumer as its supervisor runs it, once: it handles what waits, then stops.
CONSUMED = f"shop consume {CONSUMER} --once"


@pytest.fixture
def environment(
    cluster: Cluster, seeded_database: str, rabbitmq: RabbitMqNode
) -> Iterator[dict[str, str]]:
    """An operator's shell on the shop and the broker, with the runbook's one variable."""
    with operators_shell(cluster, seeded_database, rabbitmq, "dead_letters") as environment:
        yield {**environment, "CONSUMER": CONSUMER}


def succeeded(commands: str, environment: dict[str, str]) -> str:
    """Run ``commands``, which must succeed, and return what they printed."""
    done = run(commands, environment)
    assert done.returncode == 0, done
    return done.stdout


def test_the_runbook_finds_the_dead_letter_and_replays_it(
    environment: dict[str, str], cluster: Cluster
) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3, 4, 5]
    assert runbook[2] == runbook[3] == ""  # reading the reason and fixing its cause: a person's

    # The demo data's events published and handled: the queue is empty, nothing is dead.
    succeeded(RELAY, environment)
    assert "0 dead-lettered" in succeeded(CONSUMED, environment)
    assert json.loads(succeeded(runbook[5], environment)) == []

    an_order_placed(environment)
    assert "Published 2 event(s)." in succeeded(RELAY, environment)
    cluster.stop("fast")  # the consumer's database goes away
    try:
        gave_up = succeeded(CONSUMED, environment)
    finally:
        cluster.start()  # the cause fixed, as step 3 asks
    assert "0 handled, 0 duplicate, 1 dead-lettered" in gave_up, gave_up

    listed = succeeded(runbook[1], environment)
    assert "OrderPlaced" in listed, listed
    assert "failed 5 times; last: " in listed  # the reason the table in step 2 explains

    assert "Replayed 1 dead letter(s) into catalog.units-sold." in succeeded(
        runbook[4], environment
    )
    assert "1 handled, 0 duplicate, 0 dead-lettered" in succeeded(CONSUMED, environment)

    assert json.loads(succeeded(runbook[5], environment)) == []
