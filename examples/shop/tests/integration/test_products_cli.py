"""``shop products`` and the products seed step, in-process on a database of their own."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner, Result

from catalog.application.dto.product_views import ProductView
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.presentation.cli.main import cli
from shop.presentation.cli.seed import DEMO_PRODUCTS, seed_products

Invoke = Callable[..., Result]


@pytest.fixture
def run(database_url: str) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args), env={"DATABASE_URL": database_url})

    assert invoke("db", "upgrade").exit_code == 0
    assert invoke("tenants", "add", "acme", "Acme Corporation").exit_code == 0
    return invoke


def output(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def listed(run: Invoke, *options: str) -> Any:
    return output(run("products", "list", "--tenant", "acme", "--json", *options))


def test_add_reprice_discontinue_and_list(run: Invoke) -> None:
    added = output(
        run("products", "add", "--tenant", "acme", "mug-001", "Enamel mug", "12.5", "EUR")
    )
    repriced = output(run("products", "reprice", "--tenant", "acme", added["id"], "13", "EUR"))
    discontinued = output(run("products", "discontinue", "--tenant", "acme", added["id"]))

    assert added == {
        "id": added["id"],
        "sku": "MUG-001",
        "name": "Enamel mug",
        "price": {"amount": "12.50", "currency": "EUR"},
        "active": True,
    }
    assert repriced == {**added, "price": {"amount": "13.00", "currency": "EUR"}}
    assert discontinued == {**repriced, "active": False}
    assert listed(run) == {"items": [discontinued], "next_cursor": None}


def test_the_list_is_a_table_for_a_person(run: Invoke) -> None:
    mug = output(run("products", "add", "--tenant", "acme", "MUG-001", "Enamel mug", "12.5", "EUR"))
    output(run("products", "add", "--tenant", "acme", "PEN-001", "Pen", "2", "EUR"))

    result = run("products", "list", "--tenant", "acme", "--limit", "1")

    lines = result.output.splitlines()
    assert [re.split(r"\s{2,}", line) for line in [lines[0], lines[2]]] == [
        ["ID", "SKU", "NAME", "PRICE", "ACTIVE"],
        [mug["id"], "MUG-001", "Enamel mug", "12.50 EUR", "yes"],
    ]
    assert lines[3:5] == [
        "",
        f"More after this page: --after {listed(run, '--limit', '1')['next_cursor']}",
    ]


def test_list_pages_with_the_cursor(run: Invoke) -> None:
    for sku in ("SKU-002", "SKU-001", "SKU-003"):
        output(run("products", "add", "--tenant", "acme", sku, "Thing", "1.00", "EUR"))

    first = listed(run, "--limit", "2")
    second = listed(run, "--limit", "2", "--after", first["next_cursor"])

    assert [p["sku"] for p in first["items"]] == ["SKU-001", "SKU-002"]
    assert ([p["sku"] for p in second["items"]], second["next_cursor"]) == (["SKU-003"], None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("list",), "Missing option '--tenant'"),
        (("list", "--tenant", "Acme!"), "Invalid value for '--tenant': not a tenant id"),
        (("list", "--tenant", "acme", "--limit", "0"), "limit: Input should be greater than"),
        (("list", "--tenant", "acme", "--after", "bogus"), "not a cursor of this list"),
        (("add", "--tenant", "acme", "--", "MUG-002", "Mug", "-1", "EUR"), "price.amount: Value"),
        (("add", "--tenant", "acme", "-", "Mug", "1", "EUR"), "sku: Value error, not a SKU"),
        (("add", "--tenant", "acme", "MUG-002", "Mug", "one", "EUR"), "price.amount: Value"),
        (("reprice", "--tenant", "acme", "not-a-uuid", "1", "EUR"), "is not a valid UUID"),
    ],
)
def test_invalid_input_is_a_usage_error_that_changes_nothing(
    run: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = run("products", *args)

    assert result.exit_code == 2
    assert message in result.output
    assert listed(run)["items"] == []


def test_business_errors_are_messages_with_status_1(run: Invoke) -> None:
    product = output(run("products", "add", "--tenant", "acme", "MUG-001", "Mug", "1", "EUR"))
    missing = "00000000-0000-4000-8000-000000000000"

    results = {
        "unknown tenant": run("products", "list", "--tenant", "globex"),
        "taken SKU": run("products", "add", "--tenant", "acme", "MUG-001", "Mug", "2", "EUR"),
        "other currency": run("products", "reprice", "--tenant", "acme", product["id"], "1", "USD"),
        "unknown product": run("products", "discontinue", "--tenant", "acme", missing),
    }

    assert {name: (r.exit_code, r.output) for name, r in results.items()} == {
        "unknown tenant": (1, "Error: no tenant has the id globex\n"),
        "taken SKU": (1, "Error: a product with the SKU MUG-001 already exists\n"),
        "other currency": (1, "Error: cannot combine EUR with USD\n"),
        "unknown product": (1, f"Error: no product has the id {missing}\n"),
    }
    assert listed(run)["items"] == [product]


@pytest.mark.anyio
@pytest.mark.usefixtures("acme")
async def test_the_seed_step_adds_the_demo_products_once(services: Services) -> None:
    await seed_products(services, TenantId("acme"))
    first = await services.product_queries(TenantId("acme")).list_page(after=None, limit=100)
    await seed_products(services, TenantId("acme"))
    second = await services.product_queries(TenantId("acme")).list_page(after=None, limit=100)

    assert second == first
    assert sorted((p.sku, p.name, str(p.price.amount)) for p in first.items) == sorted(
        DEMO_PRODUCTS
    )
    assert {p.price.currency for p in first.items} == {"EUR"}
    assert all(isinstance(p, ProductView) and p.active for p in first.items)


def test_shop_seed_gives_every_demo_tenant_the_demo_products(run: Invoke) -> None:
    assert run("seed").exit_code == 0
    assert run("seed").exit_code == 0

    for tenant in ("acme", "globex"):
        products = output(run("products", "list", "--tenant", tenant, "--json"))["items"]
        assert [p["sku"] for p in products] == sorted(sku for sku, _, _ in DEMO_PRODUCTS)
