"""The background job: each tenant's daily sales, compiled through taskiq on any broker.

The report itself is tested through the use case; the job through taskiq's in-memory
broker always, and through RabbitMQ whenever ``AMQP_URL`` is set (an unreachable broker
fails the test); ``shop worker``'s receiver with a broker of the test's own that keeps
its messages in a queue.
"""

import asyncio
import json
import logging
import os
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import aio_pika
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from taskiq import AsyncBroker, BrokerMessage, InMemoryBroker, TaskiqMessage
from taskiq.api import run_receiver_task
from taskiq_aio_pika import AioPikaBroker

from catalog.application.dto.product_commands import AddProduct
from catalog.application.use_cases.add_product import add_product
from ordering.application.dto.order_commands import CancelOrder, PlaceOrder
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.compile_sales_report import compile_sales_report
from ordering.application.use_cases.place_order import place_order
from shared_kernel.authorization import OPERATOR
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure import jobs
from shop.presentation.cli import jobs as jobs_cli
from shop.presentation.cli import messaging
from shop.presentation.cli.main import cli
from shop.settings import Settings

pytestmark = pytest.mark.anyio

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)
AMQP_URL = os.environ.get("AMQP_URL", "")
BROKERS = ["in-memory", *(["rabbitmq"] if AMQP_URL else [])]
ACME, GLOBEX = TenantId("acme"), TenantId("globex")
Invoke = Callable[..., Result]


async def place(services: Services, tenant: TenantId, product: str, quantity: int) -> str:
    lines = {"lines": [{"product_id": product, "quantity": quantity}]}
    placed = await place_order(
        PlaceOrder.model_validate(lines),
        services.ordering_unit_of_work(tenant),
        services.clock,
        str(uuid4()),
        actor=OPERATOR,
    )
    return str(placed.order.id)


async def mug(services: Services, tenant: TenantId, amount: str = "12.50") -> str:
    sku = f"MUG-{uuid4().hex[:8]}"
    body = {"sku": sku, "name": "Mug", "price": {"amount": amount, "currency": "EUR"}}
    added = await add_product(
        AddProduct.model_validate(body), services.catalog_unit_of_work(tenant), actor=OPERATOR
    )
    return str(added.id)


async def a_day_of_orders(services: Services) -> None:
    """Acme: three orders on NOW's day, one of them cancelled; globex: one."""
    product = await mug(services, ACME)
    await place(services, ACME, product, 2)
    await place(services, ACME, product, 1)
    cancelled = await place(services, ACME, product, 3)
    await cancel_order(
        CancelOrder.model_validate({"order_id": cancelled}),
        services.ordering_unit_of_work(ACME),
        actor=OPERATOR,
    )
    await place(services, GLOBEX, await mug(services, GLOBEX, "3.00"), 5)


@pytest.mark.usefixtures("tenants")
async def test_a_days_report_counts_its_tenants_orders_that_stand(services: Services) -> None:
    await a_day_of_orders(services)

    [report] = await compile_sales_report(services.sales_reports(ACME), services.clock, NOW.date())

    assert (report.day, report.orders, report.units) == (NOW.date(), 2, 3)
    assert (report.revenue.amount, report.revenue.currency) == (Decimal("37.50"), "EUR")
    assert report.compiled_at == NOW
    before = NOW.date() - timedelta(days=1)
    assert await compile_sales_report(services.sales_reports(ACME), services.clock, before) == []


@pytest.mark.usefixtures("tenants")
async def test_compiling_a_day_again_replaces_its_report(services: Services) -> None:
    await a_day_of_orders(services)
    reports = services.sales_reports(ACME)
    await compile_sales_report(reports, services.clock, NOW.date())
    await place(services, ACME, await mug(services, ACME, "1.00"), 4)

    [again] = await compile_sales_report(reports, services.clock, NOW.date())

    assert (again.orders, again.units, again.revenue.amount) == (3, 7, Decimal("41.50"))
    assert await reports.recent(limit=10) == [again]


@pytest.mark.usefixtures("tenants")
async def test_without_a_day_the_report_is_of_yesterday(services: Services) -> None:
    await a_day_of_orders(services)
    tomorrow = FixedClock(NOW + timedelta(days=1))

    [report] = await compile_sales_report(services.sales_reports(GLOBEX), tomorrow)

    assert (report.day, report.orders, report.units) == (NOW.date(), 1, 5)


@pytest.mark.usefixtures("tenants")
@pytest.mark.parametrize("kind", BROKERS)
async def test_the_job_compiles_every_tenants_report_through_the_broker(
    services: Services, kind: str
) -> None:
    await a_day_of_orders(services)
    queue = f"test-{uuid4().hex[:12]}"
    broker = jobs.job_broker(AMQP_URL if kind == "rabbitmq" else None, name=queue)
    task = jobs.register_jobs(broker, services, "5 0 * * *")
    broker.is_worker_process = kind == "rabbitmq"
    await broker.startup()
    receiver = asyncio.create_task(run_receiver_task(broker)) if kind == "rabbitmq" else None
    try:
        await task.kiq(NOW.date().isoformat())
        for _ in range(400):
            if len(await services.sales_reports(GLOBEX).recent(limit=5)) == 1:
                break
            await asyncio.sleep(0.05)
    finally:
        if receiver is not None:
            receiver.cancel()
            await asyncio.gather(receiver, return_exceptions=True)
        await broker.shutdown()
        if kind == "rabbitmq":
            await delete_queue_and_exchange(queue)

    assert [r.units for r in await services.sales_reports(ACME).recent(limit=5)] == [3]
    assert [r.units for r in await services.sales_reports(GLOBEX).recent(limit=5)] == [5]


async def delete_queue_and_exchange(name: str) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        for queue in (name, f"{name}.dead-letters"):
            await channel.queue_delete(queue)
        await channel.exchange_delete(name)


def test_the_broker_is_rabbitmq_when_a_url_is_given_and_in_memory_otherwise() -> None:
    assert isinstance(jobs.job_broker("amqp://guest:guest@127.0.0.1:5672/h2"), AioPikaBroker)
    assert isinstance(jobs.job_broker(None), InMemoryBroker)


async def test_the_schedule_setting_is_the_jobs_cron_label(services: Services) -> None:
    broker = jobs.job_broker(None)
    jobs.register_jobs(broker, services, "30 2 * * 1")

    [source] = jobs.job_scheduler(broker).sources
    await source.startup()  # as shop worker's scheduler does: it reads the labels then
    [scheduled] = await source.get_schedules()

    assert (scheduled.task_name, scheduled.cron) == (jobs.COMPILE_DAILY_SALES, "30 2 * * 1")


@given(st.text(max_size=40))
@settings(max_examples=50)
def test_a_schedule_that_is_not_five_cron_fields_stops_the_shop(schedule: str) -> None:
    fields = schedule.split(" ")
    cron_like = len(fields) == 5 and all(f and set(f) <= set("0123456789*,/-") for f in fields)
    try:
        Settings(_env_file=None, sales_report_schedule=schedule)
    except ValidationError:
        assert not cron_like
    else:
        assert cron_like


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, **env: str | None) -> Result:
        environment = {"DATABASE_URL": database_url, "AMQP_URL": None, **env}
        return runner.invoke(cli, list(args), env=environment)

    assert invoke("db", "upgrade").exit_code == 0
    assert invoke("seed").exit_code == 0  # its orders are placed today
    return invoke


def test_the_commands_compile_and_print_a_tenants_report(run: Invoke) -> None:
    today = datetime.now(UTC).date().isoformat()

    compiled = run("reports", "compile", "--tenant", "acme", "--day", today, "--json")
    assert compiled.exit_code == 0, compiled.output
    [report] = json.loads(compiled.stdout)
    assert report["day"] == today
    assert report["orders"] > 0

    listed = run("reports", "daily", "--tenant", "acme")
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[0].split() == ["DAY", "ORDERS", "UNITS", "REVENUE"]
    assert today in listed.output
    assert json.loads(run("reports", "daily", "--tenant", "acme", "--json").stdout) == [report]


@pytest.mark.parametrize(
    "arguments",
    [
        ("reports", "compile", "--tenant", "acme", "--day", "2025-13-40"),
        ("reports", "daily", "--tenant", "acme", "--limit", "0"),
        ("jobs", "send", "ordering.compile-daily-sales", "--day", "yesterday"),
        ("jobs", "send", "drop-tables"),
    ],
)
def test_hostile_arguments_are_usage_errors(run: Invoke, arguments: tuple[str, ...]) -> None:
    assert run(*arguments).exit_code == 2


def test_without_a_broker_a_job_sent_runs_in_the_sending_process(run: Invoke) -> None:
    today = datetime.now(UTC).date().isoformat()

    sent = run("jobs", "send", jobs.COMPILE_DAILY_SALES, "--day", today)

    assert sent.exit_code == 0, sent.output
    assert sent.output == f"Ran {jobs.COMPILE_DAILY_SALES} in this process: 2 report row(s).\n"
    assert today in run("reports", "daily", "--tenant", "globex").output


def stopped_soon() -> asyncio.Event:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(0.5, stop.set)
    return stop


class QueueBroker(AsyncBroker):
    """A broker of the test's own that keeps what is sent in a queue, as a real one does."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()

    async def kick(self, message: BrokerMessage) -> None:
        await self.queue.put(message.message)

    async def listen(self) -> AsyncGenerator[bytes, None]:
        while True:
            yield await self.queue.get()


def test_the_worker_runs_what_was_sent_until_it_is_stopped(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # taskiq says it cancelled its receiver as the worker stops; not this test's output.
    caplog.set_level(logging.ERROR, logger="taskiq.receiver")
    today = datetime.now(UTC).date().isoformat()
    broker = QueueBroker()
    sent = TaskiqMessage(
        task_id=uuid4().hex, task_name=jobs.COMPILE_DAILY_SALES, labels={}, args=[today], kwargs={}
    )
    broker.queue.put_nowait(broker.formatter.dumps(sent).message)
    monkeypatch.setattr(jobs_cli, "job_broker", lambda _url: broker)
    monkeypatch.setattr(messaging, "stopped_by_signals", stopped_soon)

    ran = run("worker", "--no-scheduler")

    assert ran.exit_code == 0, ran.output
    assert ran.output == "The worker stopped.\n"
    assert broker.queue.empty()
    assert today in run("reports", "daily", "--tenant", "acme").output


def test_the_worker_with_its_scheduler_starts_and_stops_without_a_broker(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messaging, "stopped_by_signals", stopped_soon)

    ran = run("worker")

    assert ran.exit_code == 0, ran.output
    assert ran.output == "The worker stopped.\n"


def test_with_a_broker_a_job_is_sent_to_the_workers(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = QueueBroker()
    monkeypatch.setattr(jobs_cli, "job_broker", lambda _url: broker)

    sent = run("jobs", "send", jobs.COMPILE_DAILY_SALES)

    assert sent.output == f"Sent {jobs.COMPILE_DAILY_SALES} to the workers.\n"
    message: Any = json.loads(broker.queue.get_nowait())
    assert (message["task_name"], message["args"]) == (jobs.COMPILE_DAILY_SALES, [None])
