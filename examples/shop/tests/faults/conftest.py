"""The installed shop against a PostgreSQL server and a RabbitMQ node of the tests' own.

The tests mistreat them, and the shop's processes. Without the servers' programs
(``initdb`` and ``pg_ctl``; ``rabbitmq-server``) these tests skip and say why; under
``CI=true`` they fail instead. Each test writes the figures of its run (requests, answers,
acknowledged orders checked, recovery times) into the JSON file that ``FAULT_FIGURES``
names, when it is set; ``nox -s examples`` sets it, and the reliability page is written
from that file.
"""

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helpers beside this file

from .fault_servers import Cluster, free_port, prepare, server_programs
from .rabbitmq_node import RabbitMqNode, rabbitmq_programs

FIGURES_VARIABLE = "FAULT_FIGURES"


def missing(reason: str) -> NoReturn:
    """Skip the test, or fail it under ``CI=true``, where every server must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A running PostgreSQL server of the session's own."""
    programs = server_programs()
    if programs is None:
        missing("PostgreSQL's server programs (initdb, pg_ctl) are not installed; set PG_BIN")
    # Not under pytest's tmp_path: as root, that is closed to the postgres user.
    cluster = Cluster(programs, Path(tempfile.mkdtemp(prefix="shop-faults-")), free_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.thaw()
            cluster.stop("immediate")
        shutil.rmtree(cluster.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def rabbitmq() -> Iterator[RabbitMqNode]:
    """A running RabbitMQ node of the session's own, which a test may restart."""
    programs = rabbitmq_programs()
    if programs is None:
        missing("RabbitMQ's server (rabbitmq-server) is not installed; set RABBITMQ_BIN")
    directory = Path(tempfile.mkdtemp(prefix="shop-faults-rabbitmq-"))
    node = RabbitMqNode(programs, directory, free_port(), free_port())
    try:
        node.init()
        node.start()
        yield node
    finally:
        node.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def seeded_database(cluster: Cluster) -> str:
    """The name of a database migrated and seeded once, which each test copies."""
    return prepare(cluster, "seeded")


def sources_digest(folder: Path) -> str:
    """The SHA-256 over the names and bytes of the Python files in ``folder``.

    Recorded with the figures, it tells figures of these tests from figures of an older
    version of them; the handbook computes the same over the repository's copy.
    """
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture
def record_figures() -> Iterator[dict[str, Any]]:
    """Figures a test fills in; written to ``FAULT_FIGURES`` under the test's name."""
    figures: dict[str, Any] = {}
    yield figures
    target = os.environ.get(FIGURES_VARIABLE)
    if not target or not figures:
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    recorded[figures.pop("scenario")] = figures
    recorded["sources"] = sources_digest(Path(__file__).parent)
    path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
