"""A 500's log line: the exception chain and the request id, bounded, and nothing secret.

The shop is served with one extra route that fails the way real code does: with the
request's secrets in its local variables, an exception chained to a database error whose
statement had a secret parameter, and a message far longer than any line should be.
"""

import json
from typing import Any

import httpx
import pytest
import structlog
from fastapi import APIRouter, FastAPI, Request
from pydantic import SecretStr
from sqlalchemy import text

from shared_kernel.clock import SystemClock
from shop.bootstrap import Services
from shop.infrastructure.database.engine import create_engine
from shop.infrastructure.logging import MAX_LINE, configure_logging
from shop.presentation.api import create_app
from shop.settings import Settings

pytestmark = pytest.mark.anyio

SECRET = "hunter2-0f8e7d6c"  # noqa: S105 - what the logs must never show


def failing_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/failing")  # no tenant needed

    @router.post("")
    async def fail(request: Request) -> None:
        password = (await request.json())["password"]  # a local the old log line showed
        services: Services = request.app.state.services
        try:
            async with services.engine.connect() as connection:
                await connection.execute(
                    text("SELECT * FROM no_such_table WHERE password = :password"),
                    {"password": password},
                )
        except Exception as error:
            raise RuntimeError("the payment step failed: " + "x" * 100_000) from error

    return router


@pytest.fixture
def app(database_url: str) -> FastAPI:
    """The shop with the failing route, on the shop's own engine: it hides SQL parameters."""
    settings = Settings(_env_file=None, database_url=SecretStr(database_url))
    services = Services(settings=settings, engine=create_engine(settings), clock=SystemClock())
    app = create_app(services)
    app.include_router(failing_router())
    return app


# --8<-- [start:error-log-test]
@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
async def test_a_500_logs_the_chain_and_the_request_id_bounded_and_without_secrets(
    app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(
            "/api/v1/failing",
            json={"password": SECRET},
            headers={"Authorization": f"Bearer {SECRET}", "X-Request-ID": "req-42"},
        )

    logged = capsys.readouterr().err
    [line] = [line for line in logged.splitlines() if "unexpected_error" in line]
    entry: dict[str, Any] = json.loads(line)
    assert response.status_code == 500
    assert response.headers["x-request-id"] == response.json()["request_id"] == "req-42"
    assert entry["request_id"] == "req-42"
    assert entry["exception"][0]["exc_type"] == "RuntimeError"
    assert len(entry["exception"]) >= 2  # the database's error, which caused it
    assert all("locals" not in frame for e in entry["exception"] for frame in e["frames"])
    assert SECRET not in logged
    assert len(line.encode()) <= MAX_LINE


# --8<-- [end:error-log-test]


@pytest.mark.usefixtures("structlog_restored", "root_logger_restored")
def test_a_line_over_the_limit_is_cut_to_its_essentials(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    try:
        raise ValueError("broken")
    except ValueError:
        structlog.get_logger("test").exception("failed", payload="x" * 100_000)

    [line] = capsys.readouterr().err.splitlines()
    entry = json.loads(line)
    assert len(line.encode()) <= MAX_LINE
    assert (entry["event"], entry["exception_types"]) == ("failed", ["ValueError"])
    assert entry["cut_from_bytes"] > 100_000
    assert "payload" not in entry
