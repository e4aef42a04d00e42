"""``shop worker`` and ``shop jobs send``: the background jobs' process, and a job sent by hand.

``shop worker`` runs taskiq's scheduler, which sends each job when its schedule says, and,
with a broker configured, taskiq's receiver, which runs the jobs that any process sent;
run one scheduler only (``--no-scheduler`` on the others). Without a broker, the
in-memory one runs each job in the process that sends it: the worker's own scheduler, or
``shop jobs send``.
"""

import asyncio
from datetime import datetime

import click
from taskiq import InMemoryBroker
from taskiq.api import run_receiver_task, run_scheduler_task

from shop.bootstrap import Services
from shop.infrastructure.jobs import COMPILE_DAILY_SALES, job_broker, job_scheduler, register_jobs
from shop.presentation.cli import messaging
from shop.presentation.cli.runner import command_runner


# --8<-- [start:worker]
@click.command()
@click.option(
    "--scheduler/--no-scheduler",
    default=True,
    show_default=True,
    help="Also send the scheduled jobs; one worker of a deployment does.",
)
def worker(*, scheduler: bool) -> None:
    """Run the background jobs until stopped.

    The scheduler sends the daily sales report each night (sales_report_schedule); with a
    broker, the worker also runs the jobs any process sent.
    """

    async def work(services: Services) -> None:
        settings = services.settings
        amqp_url = settings.amqp_url.get_secret_value() if settings.amqp_url else None
        broker = job_broker(amqp_url)
        register_jobs(broker, services, settings.sales_report_schedule)
        broker.is_worker_process = True  # before startup: a worker opens a connection to read
        await broker.startup()
        running = []
        if not isinstance(broker, InMemoryBroker):  # the in-memory one runs jobs as sent
            running.append(asyncio.create_task(run_receiver_task(broker)))
        if scheduler:
            running.append(asyncio.create_task(run_scheduler_task(job_scheduler(broker))))
        try:
            await messaging.stopped_by_signals().wait()
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            await broker.shutdown()

    command_runner().run(work)
    click.echo("The worker stopped.")


# --8<-- [end:worker]


@click.group()
def jobs() -> None:
    """Send a background job now, instead of waiting for its schedule."""


@jobs.command()
@click.argument("name", type=click.Choice([COMPILE_DAILY_SALES]), metavar="NAME")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day (UTC) to report, as YYYY-MM-DD; yesterday by default.",
)
def send(name: str, day: datetime | None) -> None:
    """Send the job NAME to the workers (without a broker: run it here)."""

    async def work(services: Services) -> str:
        settings = services.settings
        amqp_url = settings.amqp_url.get_secret_value() if settings.amqp_url else None
        broker = job_broker(amqp_url)
        task = register_jobs(broker, services, settings.sales_report_schedule)
        await broker.startup()
        try:
            sent = await task.kiq(day.date().isoformat() if day else None)
            if isinstance(broker, InMemoryBroker):
                result = await sent.wait_result()
                return f"Ran {name} in this process: {result.return_value} report row(s)."
            return f"Sent {name} to the workers."
        finally:
            await broker.shutdown()

    click.echo(command_runner().run(work))
