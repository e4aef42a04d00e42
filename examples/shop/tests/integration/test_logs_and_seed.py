"""Structured logging, and the seed with the steps the contexts will add."""

import json
import logging
import logging.config
from collections.abc import Iterator

import pytest
import structlog
import uvicorn.config

from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.logging import SERVER_LOGGERS, configure_logging
from shop.presentation.cli.seed import seed
from tenancy.infrastructure.database.tenant_directory import SqlAlchemyTenantDirectory


@pytest.fixture
def server_loggers_restored() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in SERVER_LOGGERS]
    saved = [(list(logger.handlers), logger.level, logger.propagate) for logger in loggers]
    yield
    for logger, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        logger.handlers, logger.propagate = handlers, propagate
        logger.setLevel(level)


@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
def test_logs_are_json_lines_on_stderr_at_the_level_and_above(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("WARNING")
    logger = structlog.get_logger("test")

    logger.info("not_shown")
    try:
        raise ValueError("broken")
    except ValueError:
        logger.exception("failed", order=7)

    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    entry = json.loads(line)
    assert (entry["event"], entry["level"], entry["order"]) == ("failed", "error", 7)
    assert entry["timestamp"].endswith("Z")
    assert entry["exception"][0]["exc_type"] == "ValueError"


def uvicorn_sets_up_its_loggers() -> None:
    """What uvicorn does before it calls the app factory; in the test, so it sees capsys."""
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)


@pytest.mark.usefixtures("structlog_restored", "server_loggers_restored", "root_logger_restored")
def test_the_servers_own_lines_become_json_on_the_servers_streams(
    capsys: pytest.CaptureFixture[str],
) -> None:
    uvicorn_sets_up_its_loggers()
    configure_logging("INFO")

    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.access").info('%s - "%s %s" %d', "127.0.0.1:5000", "GET", "/", 200)
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")

    captured = capsys.readouterr()
    errors = [json.loads(line) for line in captured.err.splitlines()]
    [access] = [json.loads(line) for line in captured.out.splitlines()]  # uvicorn's choice
    assert [(line["logger"], line["level"], line["event"]) for line in errors] == [
        ("uvicorn.error", "info", "Started server process [42]"),
        ("uvicorn.error", "error", "Exception in ASGI application"),
    ]
    assert errors[-1]["exception"][0]["exc_type"] == "ValueError"
    assert (access["logger"], access["event"]) == ("uvicorn.access", '127.0.0.1:5000 - "GET /" 200')
    assert all(line["timestamp"].endswith("Z") for line in [*errors, access])


@pytest.mark.usefixtures("structlog_restored", "server_loggers_restored", "root_logger_restored")
def test_the_servers_levels_and_silenced_loggers_stay_as_the_server_set_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    uvicorn_sets_up_its_loggers()
    logging.getLogger("uvicorn.error").setLevel("WARNING")  # as --log-level warning does
    logging.getLogger("uvicorn.access").handlers = []  # as --no-access-log does

    configure_logging("INFO")
    logging.getLogger("uvicorn.error").info("not shown")
    logging.getLogger("uvicorn.access").info("not shown either")

    assert capsys.readouterr() == ("", "")


@pytest.mark.usefixtures("structlog_restored", "server_loggers_restored", "root_logger_restored")
def test_what_else_logs_through_the_standard_library_is_json_on_stderr_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    uvicorn_sets_up_its_loggers()
    configure_logging("INFO")
    configure_logging("INFO")  # as each app the factory builds does: still one handler

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        logging.getLogger("infrastructure_kernel.http.unexpected_errors").exception(
            "unexpected_error", extra={"method": "GET", "path": "/api/v1/things"}
        )
    coloured = {"color_message": "Started server process [\x1b[36m%d\x1b[0m]"}
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42, extra=coloured)

    [error, started] = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert (error["logger"], error["level"], error["event"]) == (
        "infrastructure_kernel.http.unexpected_errors",
        "error",
        "unexpected_error",
    )
    assert (error["method"], error["path"]) == ("GET", "/api/v1/things")
    assert error["exception"][0]["exc_type"] == "RuntimeError"
    assert started["event"] == "Started server process [42]"
    assert "color_message" not in started


@pytest.mark.anyio
async def test_seed_runs_every_step_for_every_demo_tenant_and_repeats_safely(
    services: Services,
) -> None:
    calls: list[tuple[str, TenantId]] = []

    async def products(_: Services, tenant_id: TenantId) -> None:
        calls.append(("products", tenant_id))

    async def orders(_: Services, tenant_id: TenantId) -> None:
        calls.append(("orders", tenant_id))

    first = await seed(services, [products, orders])
    second = await seed(services, [products, orders])

    acme, globex = TenantId("acme"), TenantId("globex")
    assert first == second == [acme, globex]
    assert calls == 2 * [
        ("products", acme),
        ("orders", acme),
        ("products", globex),
        ("orders", globex),
    ]
    assert len(await SqlAlchemyTenantDirectory(services.engine).list_all()) == 2
