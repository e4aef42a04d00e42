"""``shop orders`` and the orders seed step, in-process on a database of their own."""

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from catalog.application.dto.product_commands import MAX_PAGE_SIZE
from catalog.domain.entities.product import Product
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from ordering.application.dto.order_commands import PayOrder
from ordering.application.use_cases.pay_order import pay_order
from ordering.domain.value_objects.order_status import OrderStatus
from shared_kernel.authorization import OPERATOR
from shared_kernel.money import Money
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.infrastructure.database.tables import outbox
from shop.presentation.cli.main import cli
from shop.presentation.cli.runner import run_with_services
from shop.presentation.cli.seed import DEMO_ORDERS, seed_orders, seed_products

Invoke = Callable[..., Result]
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), env={"DATABASE_URL": database_url})

    assert invoke("db", "upgrade").exit_code == 0
    for slug, name in (("acme", "Acme Corporation"), ("globex", "Globex Corporation")):
        assert invoke("tenants", "add", slug, name).exit_code == 0
    return invoke


def output(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def mug(run: Invoke) -> str:
    product = output(run("products", "add", "--tenant", "acme", "MUG-001", "Mug", "12.50", "EUR"))
    return str(product["id"])


def listed(run: Invoke, *options: str, tenant: str = "acme") -> Any:
    return output(run("orders", "list", "--tenant", tenant, "--json", *options))


def test_an_order_is_placed_shown_listed_paid_and_shipped(run: Invoke, mug: str) -> None:
    placed = output(run("orders", "place", "--tenant", "acme", "--line", f"{mug}:3"))
    order_id = placed["id"]
    shown = output(run("orders", "show", "--tenant", "acme", order_id))
    paid = output(run("orders", "pay", "--tenant", "acme", order_id))
    shipped = output(run("orders", "ship", "--tenant", "acme", order_id))

    assert (placed["status"], placed["total"]) == ("placed", {"amount": "37.50", "currency": "EUR"})
    assert [(line["sku"], line["quantity"]) for line in placed["lines"]] == [("MUG-001", 3)]
    assert shown == placed
    assert (paid["status"], shipped["status"]) == ("paid", "shipped")
    assert listed(run) == {"items": [shipped], "next_cursor": None}
    assert listed(run, tenant="globex") == {"items": [], "next_cursor": None}


def test_an_order_is_cancelled(run: Invoke, mug: str) -> None:
    placed = output(run("orders", "place", "--tenant", "acme", "--line", f"{mug}:1"))

    cancelled = output(run("orders", "cancel", "--tenant", "acme", placed["id"]))

    assert cancelled == {**placed, "status": "cancelled"}


def test_placing_again_with_the_same_key_prints_the_first_order(run: Invoke, mug: str) -> None:
    place = ("orders", "place", "--tenant", "acme", "--line", f"{mug}:1", "--idempotency-key", "k")

    first, again = run(*place), run(*place)

    assert output(again) == output(first)
    assert again.stderr == "An earlier request with this key placed the order; nothing changed.\n"
    assert first.stderr == ""
    assert len(listed(run)["items"]) == 1


def test_an_order_placed_with_an_address_tells_its_event(
    run: Invoke, mug: str, database_url: str
) -> None:
    place = ("orders", "place", "--tenant", "acme", "--line", f"{mug}:1")
    output(run(*place, "--email", "ada@example.com"))
    output(run(*place))

    async def addresses() -> list[object]:
        engine = create_async_engine(database_url)
        query = select(outbox.c.payload).where(outbox.c.event_name == "OrderPlaced")
        try:
            async with engine.connect() as connection:
                payloads = (await connection.execute(query.order_by(outbox.c.position))).scalars()
                return [json.loads(payload).get("customer_email") for payload in payloads]
        finally:
            await engine.dispose()

    assert asyncio.run(addresses()) == ["ada@example.com", None]


def test_list_pages_with_the_cursor_and_filters_by_status(run: Invoke, mug: str) -> None:
    ids = [output(run("orders", "place", "--tenant", "acme", "--line", f"{mug}:1"))["id"]]
    ids += [output(run("orders", "place", "--tenant", "acme", "--line", f"{mug}:2"))["id"]]
    output(run("orders", "pay", "--tenant", "acme", ids[0]))

    first = listed(run, "--limit", "1")
    second = listed(run, "--limit", "1", "--after", first["next_cursor"])
    paid = listed(run, "--status", "paid")

    assert len(first["items"]) == len(second["items"]) == 1
    assert {first["items"][0]["id"], second["items"][0]["id"]} == set(ids)
    assert second["next_cursor"] is None
    assert [order["id"] for order in paid["items"]] == [ids[0]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("place", "--tenant", "acme"), "Missing option '--line'"),
        (("place", "--line", "{mug}:1"), "Missing option '--tenant'"),
        (("place", "--tenant", "Acme!", "--line", "{mug}:1"), "not a tenant id"),
        (("place", "--tenant", "acme", "--line", "{mug}"), "is not PRODUCT_ID:QTY"),
        (("place", "--tenant", "acme", "--line", "{mug}:two"), "is not PRODUCT_ID:QTY"),
        (("place", "--tenant", "acme", "--line", "{mug}:1_000"), "is not PRODUCT_ID:QTY"),
        (("place", "--tenant", "acme", "--line", "{mug}: 2"), "is not PRODUCT_ID:QTY"),
        (("place", "--tenant", "acme", "--line", "{mug}:\u0663"), "is not PRODUCT_ID:QTY"),
        (("place", "--tenant", "acme", "--line", "{mug}:0"), "lines.0.quantity: Value error"),
        (("place", "--tenant", "acme", "--line", "{mug}:-2"), "lines.0.quantity: Value error"),
        (("place", "--tenant", "acme", "--line", "{mug}:1001"), "lines.0.quantity: Value error"),
        (("place", "--tenant", "acme", "--line", "mug:1"), "lines.0.product_id: Input should"),
        (
            ("place", "--tenant", "acme", "--line", "{mug}:1", "--idempotency-key", ""),
            "an idempotency key has 1 to 255 printable characters",
        ),
        (
            ("place", "--tenant", "acme", "--line", "{mug}:1", "--email", "ada@@example.com"),
            "customer_email: value is not a valid email address",
        ),
        (("list", "--tenant", "acme", "--limit", "0"), "limit: Input should be greater than"),
        (("list", "--tenant", "acme", "--after", "bogus"), "not a cursor of this list"),
        (("list", "--tenant", "acme", "--status", "lost"), "Invalid value for '--status'"),
        (("show", "--tenant", "acme", "42"), "'42' is not a valid UUID"),
        (("pay", "--tenant", "acme", "42"), "'42' is not a valid UUID"),
    ],
)
def test_invalid_input_is_a_usage_error_that_changes_nothing(
    run: Invoke, mug: str, args: tuple[str, ...], message: str
) -> None:
    result = run("orders", *(arg.format(mug=mug) for arg in args))

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert listed(run)["items"] == []


# --8<-- [start:business-errors-test]
def test_business_errors_are_messages_with_status_1(run: Invoke, mug: str) -> None:
    order = output(run("orders", "place", "--tenant", "acme", "--line", f"{mug}:1"))

    results = {
        "unknown tenant": run("orders", "list", "--tenant", "initech"),
        "unknown product": run("orders", "place", "--tenant", "acme", "--line", f"{MISSING}:1"),
        "another tenant's product": run(
            "orders", "place", "--tenant", "globex", "--line", f"{mug}:1"
        ),
        "unknown order": run("orders", "show", "--tenant", "acme", MISSING),
        "another tenant's order": run("orders", "pay", "--tenant", "globex", order["id"]),
        "not paid": run("orders", "ship", "--tenant", "acme", order["id"]),
    }

    assert {name: (r.exit_code, r.output) for name, r in results.items()} == {
        "unknown tenant": (1, "Error: no tenant has the id initech\n"),
        "unknown product": (1, f"Error: product {MISSING} is unknown or no longer sold\n"),
        "another tenant's product": (1, f"Error: product {mug} is unknown or no longer sold\n"),
        "unknown order": (1, f"Error: no order has the id {MISSING}\n"),
        "another tenant's order": (1, f"Error: no order has the id {order['id']}\n"),
        "not paid": (1, f"Error: order {order['id']} cannot go from placed to shipped\n"),
    }
    assert listed(run)["items"] == [order]


# --8<-- [end:business-errors-test]


# --8<-- [start:seed-orders-test]
@pytest.mark.anyio
@pytest.mark.usefixtures("acme")
async def test_the_seed_step_places_the_demo_orders_once(services: Services) -> None:
    acme = TenantId("acme")
    await seed_products(services, acme)
    await seed_orders(services, acme)
    first = await services.order_queries(acme).list_page(after=None, limit=100)
    await seed_orders(services, acme)
    second = await services.order_queries(acme).list_page(after=None, limit=100)

    assert second == first
    assert len(first.items) == len(DEMO_ORDERS)
    assert Counter(order.status for order in first.items) == {
        OrderStatus.PLACED: 1,
        OrderStatus.PAID: 1,
        OrderStatus.SHIPPED: 1,
        OrderStatus.CANCELLED: 2,
    }


# --8<-- [end:seed-orders-test]


@pytest.mark.anyio
@pytest.mark.usefixtures("acme")
async def test_the_seed_step_leaves_a_demo_order_someone_moved_where_it_is(
    services: Services,
) -> None:
    acme = TenantId("acme")
    await seed_products(services, acme)
    await seed_orders(services, acme)
    page = await services.order_queries(acme).list_page(
        after=None, limit=100, status=OrderStatus.PLACED
    )
    [placed] = page.items
    await pay_order(
        PayOrder(order_id=placed.id), services.ordering_unit_of_work(acme), actor=OPERATOR
    )

    await seed_orders(services, acme)

    assert (await services.order_queries(acme).get(placed.id)).status is OrderStatus.PAID


@pytest.mark.anyio
@pytest.mark.usefixtures("acme")
async def test_the_seed_step_finds_the_demo_products_beyond_the_first_page(
    services: Services,
) -> None:
    acme = TenantId("acme")
    uow = services.catalog_unit_of_work(acme)
    async with uow:
        for n in range(MAX_PAGE_SIZE):  # SKUs that sort before every demo product's
            filler = Product.add(
                acme,
                ProductId.new(),
                sku=Sku(f"AAA-{n:03}"),
                name=ProductName("Filler"),
                price=Money(Decimal("1.00"), "EUR"),
            )
            await uow.products.add(filler)
        await uow.commit()
    await seed_products(services, acme)

    await seed_orders(services, acme)

    page = await services.order_queries(acme).list_page(after=None, limit=100)
    assert len(page.items) == len(DEMO_ORDERS)


def test_shop_seed_gives_every_demo_tenant_the_demo_orders(run: Invoke) -> None:
    assert run("seed").exit_code == 0
    after_first = {tenant: listed(run, tenant=tenant) for tenant in ("acme", "globex")}
    assert run("seed").exit_code == 0

    for tenant, page in after_first.items():
        assert len(page["items"]) == len(DEMO_ORDERS)
        assert listed(run, tenant=tenant) == page
    assert {o["id"] for o in after_first["acme"]["items"]}.isdisjoint(
        o["id"] for o in after_first["globex"]["items"]
    )


def test_a_change_that_lost_a_race_is_a_message_not_a_traceback(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)

    async def lose(_: Services) -> None:
        raise ConcurrencyConflictError("order 7 was changed by someone else")

    with pytest.raises(click.ClickException, match="order 7 was changed by someone else"):
        run_with_services(lose)
