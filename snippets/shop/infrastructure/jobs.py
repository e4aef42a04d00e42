"""The shop's background jobs, on taskiq: which broker carries them, which jobs exist, when.

With ``AMQP_URL`` set, jobs travel through RabbitMQ (taskiq-aio-pika), on an exchange and a
queue of their own beside the events', so ``shop worker`` processes on any host share them.
Without it, taskiq's in-memory broker runs each job in the process that sends it, so
``shop worker`` and ``shop jobs send`` work on a laptop with nothing but Python (ADR 54).
"""

from collections.abc import Coroutine
from datetime import date
from typing import Any

from taskiq import AsyncBroker, AsyncTaskiqDecoratedTask, InMemoryBroker, TaskiqScheduler
from taskiq.schedule_sources import LabelScheduleSource
from taskiq_aio_pika import AioPikaBroker, Exchange, Queue

from ordering.application.use_cases.compile_sales_report import compile_sales_report
from shop.bootstrap import Services

COMPILE_DAILY_SALES = "ordering.compile-daily-sales"
JOBS = "shop.jobs"


# --8<-- [start:broker]
def job_broker(amqp_url: str | None, *, name: str = JOBS) -> AsyncBroker:
    """RabbitMQ's broker when a URL is given, else one that runs each job where it is sent.

    On RabbitMQ, the jobs have an exchange and a durable queue of their own, both ``name``,
    and a queue for the jobs that failed for good, ``name.dead-letters``.
    """
    if amqp_url is not None:
        return AioPikaBroker(
            amqp_url,
            exchange=Exchange(name=name),
            task_queues=[Queue(name=name)],  # a quorum queue: replicated, durable
            dead_letter_queue=Queue(name=f"{name}.dead-letters"),
        )
    # await_inplace: the sender waits for the job, so a command's process does not end first.
    return InMemoryBroker(await_inplace=True)


# --8<-- [end:broker]


# --8<-- [start:jobs]
def register_jobs(
    broker: AsyncBroker, services: Services, schedule: str
) -> AsyncTaskiqDecoratedTask[[str | None], Coroutine[Any, Any, int]]:
    """Register the shop's jobs on ``broker``, run with ``services``; return the daily report.

    Args:
        broker: Where the jobs are sent and received.
        services: What the jobs run on, in the worker's process.
        schedule: When the scheduler sends the daily report, as cron (UTC).
    """

    async def compile_daily_sales(day: str | None = None) -> int:
        """Compile every tenant's sales report of ``day`` (ISO), or of yesterday.

        Returns:
            How many report rows (one per tenant and currency) were written.
        """
        chosen = date.fromisoformat(day) if day else None
        written = 0
        for tenant in await services.tenant_directory().list_all():
            reports = services.sales_reports(tenant.tenant_id)
            written += len(await compile_sales_report(reports, services.clock, chosen))
        return written

    return broker.register_task(
        compile_daily_sales,
        task_name=COMPILE_DAILY_SALES,
        schedule=[{"cron": schedule}],  # read by the scheduler's LabelScheduleSource
    )


def job_scheduler(broker: AsyncBroker) -> TaskiqScheduler:
    """The scheduler that sends each job when its ``schedule`` label says; run only one."""
    return TaskiqScheduler(broker, sources=[LabelScheduleSource(broker)])


# --8<-- [end:jobs]
