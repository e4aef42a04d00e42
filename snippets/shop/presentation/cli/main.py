"""The ``shop`` command: the platform's commands, and the contexts' groups composed.

Click commands are synchronous; each one that needs the database runs one coroutine
on services built from the environment and disposed afterwards
(:mod:`shop.presentation.cli.runner`). The contexts' groups (``shop tenants``,
``shop products``, ``shop orders``) reach those services through the runner that
:func:`cli` leaves on Click's context object.
"""

from functools import partial
from pathlib import Path

import click

from audit.presentation.cli.audit import audit
from catalog.presentation.cli.products import products
from identity.presentation.cli.keys import keys_group
from identity.presentation.cli.users import users
from infrastructure_kernel.cli.configuration import (
    config_group,
    configured_or_exit,
    settings_option,
)
from infrastructure_kernel.cli.schema import db_group
from infrastructure_kernel.cli.serve import limit_options, settings_with
from infrastructure_kernel.database.migrations import SchemaUpgrade
from infrastructure_kernel.http.server import serve_http
from ordering.presentation.cli.orders import orders
from ordering.presentation.cli.reports import reports
from payments.presentation.cli.payments import payments
from shop.infrastructure.database.schema import MIGRATIONS
from shop.presentation.cli.jobs import jobs, worker
from shop.presentation.cli.messaging import MESSAGING_COMMANDS
from shop.presentation.cli.metrics import metrics
from shop.presentation.cli.runner import ShopCommandRunner, command_runner
from shop.presentation.cli.seed import seed_command
from shop.settings import Settings
from tenancy.presentation.cli.tenants import tenants


# --8<-- [start:root-command]
@click.group()
@settings_option
@click.pass_context
def cli(ctx: click.Context, settings: dict[str, str]) -> None:
    """Run and administer the shop.

    Settings: the defaults, then ./shop.toml (or the file in SHOP_CONFIG; its profile
    in SHOP_PROFILE), the environment, then --set; `shop config show` prints them. The
    database comes from DATABASE_URL (default: ./shop.db, SQLite); events travel
    through RabbitMQ when AMQP_URL is set, through the database otherwise.
    """
    # Read and checked before any command runs; the contexts' commands find it here.
    ctx.obj = ShopCommandRunner(configured_or_exit(Settings, settings))


# --8<-- [end:root-command]


# --8<-- [start:serve]
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, help="TCP port to listen on.")
@limit_options
def serve(host: str, port: int, **limits: float | None) -> None:
    """Serve the HTTP API until interrupted.

    Each limit is a setting too, named in brackets; an option given here overrides it.
    """
    # Imported here: only serve needs the web application, and every other command
    # starts half a second sooner without it.
    from shop.presentation.api.application import app_from_settings  # noqa: PLC0415

    configured = command_runner().configured.settings
    # The options override what the root command read (the file, the environment, --set).
    settings = settings_with(
        lambda **given: Settings.model_validate({**dict(configured), **given}), limits
    )
    # uvicorn builds the app in the serving process, after it has set up its loggers.
    serve_http(
        partial(app_from_settings, settings),
        settings,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
    )


# --8<-- [end:serve]


# --8<-- [start:db-upgrade]
def upgrade_schema() -> SchemaUpgrade:
    """Apply the pending migrations to the configured database."""
    return command_runner().run(lambda services: MIGRATIONS.upgrade(services.engine))


# --8<-- [end:db-upgrade]

# --8<-- [start:contexts]
# The contexts' groups, composed here: a context does not import the platform.
CONTEXT_GROUPS = (tenants, users, products, orders, reports, payments, audit)
# --8<-- [end:contexts]
config = config_group(lambda: command_runner().configured)


def keys_file() -> Path | None:
    """Where the settings say the signing keys live."""
    path = command_runner().configured.settings.auth_keys_file
    return None if path is None else Path(path.get_secret_value())


for group in (
    db_group(upgrade_schema),
    config,
    keys_group(keys_file),
    *CONTEXT_GROUPS,
    seed_command,
    *MESSAGING_COMMANDS,
    worker,
    jobs,
    metrics,
):
    cli.add_command(group)
