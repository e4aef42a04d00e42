"""End to end: the installed ``shop`` serves the products endpoints and ``shop products``.

The demo products are seeded for every demo tenant. The tests that change products work
in a tenant of their own, registered on the command line, so they leave the demo
tenants to the other suites; every refused request leaves that tenant's catalog as it
was.
"""

import json
import subprocess
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

ShopCommand = Callable[..., subprocess.CompletedProcess[str]]
SignIn = Callable[..., dict[str, str]]
PROBLEM_TYPES = "tag:shop.example,2025:problems/"
DEMO_SKUS = ["BAG-001", "MUG-001", "NOTE-001", "PEN-001", "TEE-001"]
TENANT = "catalog-e2e"
HEADERS = {"X-Tenant-ID": TENANT}
"""As an owner of the module's tenant, once :func:`products_url` added the owner's token."""
MUG = {"sku": "MUG-100", "name": "Big mug", "price": {"amount": "15.00", "currency": "EUR"}}


@pytest.fixture(scope="module")
def products_url(base_url: str, shop_command: ShopCommand, sign_in: SignIn) -> str:
    """The products endpoint, with this module's tenant registered and given one product.

    Every request of the module is sent by an owner of that tenant and of the demo ones,
    whose token joins the module's headers.
    """
    registered = shop_command("tenants", "add", TENANT, "Catalog end-to-end")
    assert registered.returncode == 0, registered.stderr
    owner = sign_in(TENANT, "acme", "globex")
    HEADERS.update(owner)
    NOBODY.update(owner)
    NO_TENANT.update(owner)
    url = f"{base_url}/api/v1/products"
    assert httpx.post(url, json=MUG, headers=HEADERS).status_code == 201
    return url


def catalog(products_url: str, headers: dict[str, str] = HEADERS) -> list[dict[str, Any]]:
    """Every product of the tenant, read page by page along the cursors."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        response = httpx.get(products_url, params=params, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        if page["next_cursor"] is None:
            return items
        params["after"] = page["next_cursor"]


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEM_TYPES + slug, status)
    assert "Traceback" not in response.text
    return problem


@pytest.mark.parametrize("tenant", ["acme", "globex"])
def test_every_demo_tenant_has_the_demo_products(products_url: str, tenant: str) -> None:
    products = catalog(products_url, {**HEADERS, "X-Tenant-ID": tenant})

    assert set(DEMO_SKUS) <= {p["sku"] for p in products}
    assert all(p["price"]["currency"] == "EUR" for p in products)


def test_a_product_is_added_read_repriced_and_discontinued(products_url: str) -> None:
    added = httpx.post(products_url, json={**MUG, "sku": "cup-100"}, headers=HEADERS)
    assert added.status_code == 201, added.text
    location = urljoin(products_url, added.headers["location"])  # as a client resolves it
    product = added.json()

    read = httpx.get(location, headers=HEADERS)
    repriced = httpx.post(
        f"{location}/reprice",
        json={"price": {"amount": "16.5", "currency": "EUR"}},
        headers=HEADERS,
    )
    discontinued = httpx.post(f"{location}/discontinue", headers=HEADERS)

    assert (read.status_code, read.json()) == (200, product)
    assert product["sku"] == "CUP-100"
    assert repriced.json()["price"] == {"amount": "16.50", "currency": "EUR"}
    assert discontinued.json() == {**repriced.json(), "active": False}
    assert discontinued.json() in catalog(products_url)


def new(**fields: Any) -> str:
    """The JSON body of a new product, with ``fields`` changed."""
    return json.dumps({**MUG, "sku": "NEW-100", **fields})


def price(amount: str, currency: str = "EUR") -> str:
    """The JSON body of a reprice."""
    return json.dumps({"price": {"amount": amount, "currency": currency}})


NEGATIVE = {"amount": "-1.00", "currency": "EUR"}
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
NOBODY = {"X-Tenant-ID": "nobody"}
NO_TENANT: dict[str, str] = {}  # an owner of several tenants, who names none of them


# (method, path under /products, body, headers, status, problem type); {mug} is the id
# of the tenant's mug.
@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "slug"),
    [
        ("POST", "", '{"sku": "NEW-100",', HEADERS, 400, "malformed-json"),
        ("POST", "", new(name=["a", "list"]), HEADERS, 422, "invalid-request"),
        ("POST", "", new(stock=3), HEADERS, 422, "invalid-request"),
        ("POST", "", new(price=NEGATIVE), HEADERS, 422, "invalid-request"),
        (
            "POST",
            "",
            new(price={"amount": "1.001", "currency": "EUR"}),
            HEADERS,
            422,
            "invalid-request",
        ),
        ("POST", "", new(name="x" * 70_000), HEADERS, 413, "body-too-large"),
        ("POST", "", json.dumps(MUG), HEADERS, 409, "sku-taken"),
        ("POST", "", new(), NOBODY, 404, "unknown-tenant"),
        ("POST", "", new(), NO_TENANT, 400, "tenant-missing"),
        ("POST", "/{mug}/reprice", price("-1.00"), HEADERS, 422, "invalid-request"),
        ("POST", "/{mug}/reprice", price("1.00", "USD"), HEADERS, 422, "currency-mismatch"),
        ("POST", "/{mug}/reprice", price("1.00"), NOBODY, 404, "unknown-tenant"),
        ("POST", "/42/discontinue", "", HEADERS, 422, "invalid-request"),
        ("POST", f"/{UNKNOWN_ID}/discontinue", "", HEADERS, 404, "product-not-found"),
        ("GET", "?after=x", None, HEADERS, 422, "invalid-cursor"),
        ("GET", "?limit=1000", None, HEADERS, 422, "invalid-request"),
    ],
)
def test_bad_input_is_a_problem_document_and_changes_nothing(  # noqa: PLR0913, PLR0917
    products_url: str,
    method: str,
    path: str,
    body: str | None,
    headers: dict[str, str],
    status: int,
    slug: str,
) -> None:
    before = catalog(products_url)
    [mug] = [p for p in before if p["sku"] == MUG["sku"]]
    url = products_url + path.format(mug=mug["id"])
    json_headers = {**headers, "Content-Type": "application/json"}

    response = httpx.request(method, url, content=body, headers=json_headers)

    assert_problem(response, status, slug)
    assert catalog(products_url) == before


def test_the_command_line_lists_and_adds_products(
    products_url: str, shop_command: ShopCommand
) -> None:
    demo = shop_command("products", "list", "--tenant", "acme", "--limit", "100", "--json")
    added = shop_command("products", "add", "--tenant", TENANT, "PEN-100", "Pen", "3.20", "EUR")

    assert demo.returncode == 0, demo.stderr
    assert set(DEMO_SKUS) <= {p["sku"] for p in json.loads(demo.stdout)["items"]}
    assert added.returncode == 0, added.stderr
    # Read by id: the server may serve its cached list for up to CACHE_TTL seconds after
    # another process's change (ADR 48), but a product it never read is read afresh.
    product = json.loads(added.stdout)
    shown = httpx.get(f"{products_url}/{product['id']}", headers=HEADERS)
    assert shown.status_code == 200, shown.text
    assert shown.json() == product


def test_the_command_line_refuses_bad_input_and_changes_nothing(
    products_url: str, shop_command: ShopCommand
) -> None:
    before = catalog(products_url)

    negative = shop_command("products", "add", "--tenant", TENANT, "--", "X-100", "X", "-1", "EUR")
    unknown = shop_command("products", "list", "--tenant", "nobody")

    assert (negative.returncode, unknown.returncode) == (2, 1)
    assert "price.amount: Value error, an amount is a string of digits" in negative.stderr
    assert unknown.stderr == "Error: no tenant has the id nobody\n"
    assert "Traceback" not in negative.stderr + unknown.stderr
    assert catalog(products_url) == before
