"""Structured logging, and the seed with the steps the contexts will add."""

import json
from collections.abc import Iterator

import pytest
import structlog

from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.logs import configure_logging
from shop.seed import seed
from shop.tenants import TenantDirectory


@pytest.fixture
def structlog_restored() -> Iterator[None]:
    yield
    structlog.reset_defaults()


@pytest.mark.usefixtures("structlog_restored")
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
    assert len(await TenantDirectory(services.engine).list_all()) == 2
