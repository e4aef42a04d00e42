"""The messaging runbooks' view of the fault tests' RabbitMQ node: a virtual host of a test's own.

An operator's ``rabbitmqctl`` and ``rabbitmq-diagnostics`` find their node by its name and
its Erlang cookie; here both are the tests' node's, which keeps its cookie in a home of its
own. A virtual host per test keeps the queues a runbook fills apart from the fault tests'.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..fault_servers import Cluster  # noqa: TID252 - shared with the fault tests
from ..rabbitmq_node import RabbitMqNode  # noqa: TID252 - shared with the fault tests


def operator_environment(node: RabbitMqNode) -> dict[str, str]:
    """What an operator's shell on the broker's host has: its programs, node name and cookie."""
    return {
        "PATH": os.pathsep.join([str(node.programs), os.environ["PATH"]]),
        "HOME": str(node.directory),  # the node's Erlang cookie
        "RABBITMQ_NODENAME": node.name,
    }


def rabbitmqctl(node: RabbitMqNode, *arguments: str) -> str:
    """Run ``rabbitmqctl`` against ``node`` and return what it printed."""
    return subprocess.run(  # noqa: S603 - the server's own program, fixed arguments
        [str(node.programs / "rabbitmqctl"), *arguments],
        env={**os.environ, **operator_environment(node)},
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


@contextmanager
def virtual_host(node: RabbitMqNode, name: str) -> Iterator[str]:
    """A virtual host ``name`` on ``node`` for the block; yields its ``AMQP_URL``."""
    rabbitmqctl(node, "add_vhost", name)
    try:
        rabbitmqctl(node, "set_permissions", "--vhost", name, "guest", ".*", ".*", ".*")
        yield f"amqp://guest:guest@127.0.0.1:{node.port}/{name}"
    finally:
        if node.process is None or node.process.poll() is not None:
            node.start()  # a test that stopped the node leaves it running for the others
        rabbitmqctl(node, "delete_vhost", name)


@contextmanager
def operators_shell(
    cluster: Cluster, template: str, node: RabbitMqNode, name: str
) -> Iterator[dict[str, str]]:
    """The environment of an operator's shell, for the block.

    The shop's configuration points at ``name``, a copy of the database ``template``, and
    at a virtual host ``name`` on ``node`` (``AMQP_VHOST``); the installed ``shop`` and the
    broker's programs are on the ``PATH``, with the node's name and cookie.
    """
    with virtual_host(node, name) as amqp_url:
        operator = operator_environment(node)
        yield {
            **os.environ,
            **operator,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), operator["PATH"]]),
            "DATABASE_URL": cluster.create_database(name, template),
            "AMQP_URL": amqp_url,
            "AMQP_VHOST": name,
        }
