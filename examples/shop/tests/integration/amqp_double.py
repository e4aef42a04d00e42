"""An in-memory stand-in for the few aio-pika objects the RabbitMQ transport uses.

It models what the transport relies on (durable queues, bindings by routing key, the
default exchange, unacknowledged messages, requeueing with the redelivered flag), so
the proving run, which has no broker, exercises every line of the adapter; the same
tests run against a real RabbitMQ when ``AMQP_URL`` is set.
"""

from collections import deque
from dataclasses import dataclass, field
from typing import Any

import aio_pika


@dataclass
class Broker:
    queues: dict[str, deque["Incoming"]] = field(default_factory=dict)
    bindings: dict[str, set[str]] = field(default_factory=dict)  # routing key -> queues
    published: list[aio_pika.Message] = field(default_factory=list)
    unacknowledged: list["Incoming"] = field(default_factory=list)
    connections: int = 0

    async def connect(self, url: str) -> "Connection":
        assert url.startswith("amqp://")
        self.connections += 1
        return Connection(self)


@dataclass
class Incoming:
    queue: "Queue"
    message: aio_pika.Message
    sequence: int
    redelivered: bool = False

    def __getattr__(self, name: str) -> Any:  # body, headers, message_id, type, ...
        return getattr(self.message, name)

    async def ack(self) -> None:
        self.queue.broker.unacknowledged.remove(self)

    async def nack(self, *, requeue: bool = True) -> None:
        assert requeue
        self.queue.broker.unacknowledged.remove(self)
        self.requeue()

    def requeue(self) -> None:
        # Back to its place in the queue, as RabbitMQ puts a requeued message.
        self.redelivered = True
        waiting = self.queue.broker.queues[self.queue.name]
        waiting.append(self)
        ordered = sorted(waiting, key=lambda incoming: incoming.sequence)
        waiting.clear()
        waiting.extend(ordered)


class Connection:
    def __init__(self, broker: Broker) -> None:
        self.broker = broker
        self.closed = False
        self.exclusive: set[str] = set()

    async def channel(self, *, publisher_confirms: bool) -> "Channel":
        assert publisher_confirms
        return Channel(self)

    async def close(self) -> None:
        # As the broker does: what the connection took and did not settle goes back.
        self.closed = True
        for incoming in self.broker.unacknowledged:
            incoming.requeue()
        self.broker.unacknowledged.clear()
        for name in self.exclusive:  # and its exclusive queues go, with their bindings
            del self.broker.queues[name]
            for bound in self.broker.bindings.values():
                bound.discard(name)


class Channel:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.broker = connection.broker
        self.default_exchange = Exchange(self.broker, "")

    async def declare_exchange(self, name: str, kind: str, *, durable: bool) -> "Exchange":
        assert (kind, durable) == ("topic", True)
        return Exchange(self.broker, name)

    async def declare_queue(
        self, name: str, *, durable: bool = False, exclusive: bool = False
    ) -> "Queue":
        assert durable != exclusive
        self.broker.queues.setdefault(name, deque())
        if exclusive:  # the broker deletes it with the connection
            self.connection.exclusive.add(name)
        return Queue(self.broker, name)

    async def get_queue(self, name: str, *, ensure: bool) -> "Queue":
        assert not ensure
        return Queue(self.broker, name)


class Exchange:
    def __init__(self, broker: Broker, name: str) -> None:
        self.broker = broker
        self.name = name

    async def publish(
        self, message: aio_pika.Message, routing_key: str, *, mandatory: bool = True
    ) -> None:
        assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        self.broker.published.append(message)
        if not self.name:  # the default exchange: the queue of that name
            assert mandatory
            targets = {routing_key}
        else:
            targets = self.broker.bindings.get(routing_key, set())
        for name in sorted(targets):
            queue = Queue(self.broker, name)
            self.broker.queues[name].append(Incoming(queue, message, len(self.broker.published)))


class Queue:
    def __init__(self, broker: Broker, name: str) -> None:
        self.broker = broker
        self.name = name

    async def bind(self, exchange: Exchange, *, routing_key: str) -> None:
        assert exchange.name
        self.broker.bindings.setdefault(routing_key, set()).add(self.name)

    async def get(self, *, no_ack: bool, fail: bool) -> Incoming | None:
        assert not no_ack
        assert not fail
        waiting = self.broker.queues[self.name]
        if not waiting:
            return None
        self.broker.unacknowledged.append(waiting[0])
        return waiting.popleft()
