"""The shop's metrics, scraped from ``/metrics`` as Prometheus scrapes them."""

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.http.hostile_input import for_each_example, hostile_text, quoted
from infrastructure_kernel.metrics import MetricSpec
from shared_kernel.clock import FixedClock
from shop.bootstrap import Services
from shop.infrastructure.database.engine import create_engine
from shop.presentation.api.application import shop_app
from shop.presentation.api.metrics import SHOP_METRICS
from shop.presentation.cli.main import cli
from shop.settings import Settings
from tenancy.domain.entities.tenant import Tenant

from .conftest import NOW
from .messaging import product_added, store_events

pytestmark = pytest.mark.anyio

AS_ACME = {"X-Tenant-ID": "acme"}


async def scrape(client: httpx.AsyncClient) -> dict[str, list[Sample]]:
    """Scrape the app once; return each metric family's samples by the family's name."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = text_string_to_metric_families(response.text)
    return {family.name: family.samples for family in families}


def value(samples: list[Sample], name: str, **labels: str) -> float:
    [found] = [s.value for s in samples if s.name == name and s.labels == labels]
    return found


def routes(samples: list[Sample]) -> set[str]:
    return {s.labels["route"] for s in samples}


# --8<-- [start:http-metrics-test]
@pytest.mark.usefixtures("acme")
async def test_requests_are_counted_and_timed_per_route_template(
    client: httpx.AsyncClient,
) -> None:
    for _ in range(2):
        await client.get("/api/v1/orders/00000000-0000-4000-8000-000000000001", headers=AS_ACME)
    await client.get("/api/v1/products", headers=AS_ACME)

    metrics = await scrape(client)

    requests = metrics["http_server_requests"]
    order = "/api/v1/orders/{order_id}"
    assert (
        value(requests, "http_server_requests_total", method="GET", route=order, status="404") == 2
    )
    products = {"method": "GET", "route": "/api/v1/products", "status": "200"}
    assert value(requests, "http_server_requests_total", **products) == 1
    duration = metrics["http_server_request_duration_seconds"]
    timed = {"method": "GET", "route": order}
    assert value(duration, "http_server_request_duration_seconds_count", **timed) == 2
    assert value(duration, "http_server_request_duration_seconds_sum", **timed) > 0


# --8<-- [end:http-metrics-test]


# --8<-- [start:cardinality-test]
async def test_hostile_paths_and_methods_add_no_label_values(client: httpx.AsyncClient) -> None:
    await client.get("/api/v1/nothing-here")
    await scrape(client)  # counted once it has answered, so the next one lists it
    before = routes((await scrape(client))["http_server_requests"])

    async def probe(text: str) -> None:
        await client.request("GET", "/" + quoted(text))
        await client.request("BREW", "/api/v1/products/" + quoted(text))

    await for_each_example(hostile_text(), probe, max_examples=30)

    requests = (await scrape(client))["http_server_requests"]
    assert routes(requests) == before | {"/api/v1/products/{product_id}"}
    assert {s.labels["method"] for s in requests} == {"GET", "other"}
    assert "unmatched" in before


# --8<-- [end:cardinality-test]


async def test_an_error_is_counted_with_its_status(client: httpx.AsyncClient) -> None:
    await client.get("/api/v1/products", headers={"X-Tenant-ID": "nobody"})
    await client.head("/api/v1/products", headers=AS_ACME)
    await client.options("/api/v1/products")
    twice = [("X-Tenant-ID", "acme"), ("X-Tenant-ID", "globex")]
    await client.get("/api/v1/products", headers=twice)  # refused before routing

    requests = (await scrape(client))["http_server_requests"]
    counted = {(s.labels["method"], s.labels["route"], s.labels["status"]) for s in requests}
    assert counted >= {
        ("GET", "/api/v1/products", "404"),  # an unknown tenant
        ("HEAD", "/api/v1/products", "404"),  # no tenant registered
        ("OPTIONS", "/api/v1/products", "204"),
        ("GET", "/api/v1/products", "400"),
    }


# --8<-- [start:pool-metrics-test]
async def test_the_pool_is_reported_as_it_is_at_the_scrape(
    client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    async with engine.connect():  # one connection held while Prometheus asks
        pool = await scrape(client)

    assert value(pool["db_client_connections"], "db_client_connections", state="used") == 1
    assert value(pool["db_client_connections_pool_size"], "db_client_connections_pool_size") >= 1
    overflow = pool["db_client_connections_overflow"]
    assert value(overflow, "db_client_connections_overflow") == 0


# --8<-- [end:pool-metrics-test]


# --8<-- [start:lag-metrics-test]
async def test_the_relays_lag_is_measured_at_the_scrape(
    client: httpx.AsyncClient, services: Services, acme: Tenant
) -> None:
    del acme
    oldest = replace(product_added(), occurred_at=NOW - timedelta(seconds=90))
    await store_events(services.engine, "acme", [oldest, product_added(sku="TEE-001")])

    metrics = await scrape(client)  # the services' clock says NOW

    assert value(metrics["outbox_unpublished_events"], "outbox_unpublished_events") == 2
    age = metrics["outbox_oldest_unpublished_event_age_seconds"]
    assert value(age, "outbox_oldest_unpublished_event_age_seconds") == 90.0


# --8<-- [end:lag-metrics-test]


async def scrape_an_empty_database(url: str) -> dict[str, list[Sample]]:
    """Scrape a shop whose database has no tables at all."""
    settings = Settings(_env_file=None, database_url=SecretStr(url))
    services = Services(settings=settings, engine=create_engine(settings), clock=FixedClock(NOW))
    try:
        transport = httpx.ASGITransport(app=shop_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await scrape(client)
    finally:
        await services.engine.dispose()


async def test_without_an_outbox_to_read_the_lag_is_left_out_and_the_rest_is_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    metrics = await scrape_an_empty_database(f"sqlite+aiosqlite:///{tmp_path}/empty.db")

    assert "outbox_unpublished_events" not in metrics
    assert "db_client_connections" in metrics
    assert "metrics_refresh_failed" in caplog.messages


async def test_a_database_without_a_pool_reports_none() -> None:
    # An in-memory SQLite database is one connection, held by the engine: no pool.
    metrics = await scrape_an_empty_database("sqlite+aiosqlite:///:memory:")

    assert not any(name.startswith("db_client") for name in metrics)
    assert "http_server_requests" in metrics


async def test_every_metric_served_is_listed_and_every_listed_one_is_served(
    client: httpx.AsyncClient,
) -> None:
    await client.get("/api/v1/health/live")
    served = set(await scrape(client))

    listed = {spec.name.removesuffix("_total") for spec in SHOP_METRICS}
    assert served == listed


async def test_the_metrics_are_not_part_of_the_api_and_speak_openmetrics_on_request(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    response = await client.get("/metrics", headers={"Accept": "application/openmetrics-text"})

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")
    assert not any(path.endswith("metrics") for path in app.openapi()["paths"])


# --8<-- [start:naming-test]
@pytest.mark.parametrize(
    ("name", "kind", "broken"),
    [
        ("HttpRequests_total", "counter", "snake case"),
        ("http_requests", "counter", "_total"),
        ("queue_depth_total", "gauge", "_total"),
        ("http_request_duration_milliseconds", "histogram", "base units"),
    ],
)
def test_a_name_against_prometheus_conventions_is_refused(
    name: str, kind: str, broken: str
) -> None:
    with pytest.raises(ValueError, match=broken):
        MetricSpec(name, kind, "Something.")  # type: ignore[arg-type]


def test_the_shops_metric_names_keep_the_conventions() -> None:
    assert len({spec.name for spec in SHOP_METRICS}) == len(SHOP_METRICS)
    for spec in SHOP_METRICS:
        assert spec == MetricSpec(spec.name, spec.type, spec.help, spec.labels)  # re-checked
        assert spec.help.endswith(".")


# --8<-- [end:naming-test]


def test_shop_metrics_lists_them_all_as_json_for_scripts() -> None:
    result = CliRunner().invoke(cli, ["metrics", "--json"])
    assert result.exit_code == 0, result.output
    metrics_listed: list[dict[str, object]] = json.loads(result.output)

    assert [m["name"] for m in metrics_listed] == sorted(s.name for s in SHOP_METRICS)
    [requests] = [m for m in metrics_listed if m["name"] == "http_server_requests_total"]
    assert requests["labels"] == ["method", "route", "status"]
