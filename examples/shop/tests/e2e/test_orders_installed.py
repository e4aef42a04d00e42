"""End to end: the installed ``shop`` serves the orders endpoints on the seeded demo data.

Every endpoint answers as documented; bad input anywhere gets a problem document and
changes nothing, which each such test checks by reading every order of both demo tenants
before and after.
"""

import json
import subprocess
from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

ShopCommand = Callable[..., subprocess.CompletedProcess[str]]
PROBLEMS = "tag:shop.example,2025:problems/"
OWNER: dict[str, str] = {}
"""The ``Authorization`` header of an owner of both demo tenants, once :func:`signed_in` ran."""
AS_ACME = {"X-Tenant-ID": "acme"}
"""As acme's owner, once :func:`signed_in` added the owner's token."""
DEFAULT_BODY_LIMIT = 64 * 1024


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert (problem["type"], problem["status"]) == (PROBLEMS + slug, status)
    assert "Traceback" not in response.text
    return problem


def all_orders(base_url: str, tenant: str) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 50}
    while True:
        response = httpx.get(
            f"{base_url}/api/v1/orders", headers={**OWNER, "X-Tenant-ID": tenant}, params=params
        )
        page = response.json()
        orders.extend(page["items"])
        if page["next_cursor"] is None:
            return orders
        params["after"] = page["next_cursor"]


@pytest.fixture(autouse=True, scope="module")
def signed_in(owner: dict[str, str]) -> None:
    """Every request of this module is the owner's: their token joins the module's headers."""
    OWNER.update(owner)
    AS_ACME.update(owner)


@pytest.fixture
def orders_unchanged(base_url: str) -> Iterator[None]:
    """Asserts that the test left every order of both demo tenants as it found them."""
    before = {tenant: all_orders(base_url, tenant) for tenant in ("acme", "globex")}
    yield
    assert {tenant: all_orders(base_url, tenant) for tenant in ("acme", "globex")} == before


@pytest.fixture(scope="module")
def products(base_url: str) -> dict[str, str]:
    """The seeded demo products of acme, by SKU."""
    page = httpx.get(f"{base_url}/api/v1/products", headers=AS_ACME).json()
    return {product["sku"]: product["id"] for product in page["items"]}


@pytest.fixture
def mug(products: dict[str, str]) -> str:
    return products["MUG-001"]


def place(base_url: str, *lines: tuple[str, Any], **headers: str) -> httpx.Response:
    payload = {"lines": [{"product_id": product, "quantity": n} for product, n in lines]}
    return httpx.post(f"{base_url}/api/v1/orders", headers={**AS_ACME, **headers}, json=payload)


def test_the_seed_gave_each_demo_tenant_orders_in_every_status(base_url: str) -> None:
    for tenant in ("acme", "globex"):
        statuses = {order["status"] for order in all_orders(base_url, tenant)}
        assert statuses == {"placed", "paid", "shipped", "cancelled"}


def test_seeding_again_changes_no_order(base_url: str, shop_command: ShopCommand) -> None:
    before = all_orders(base_url, "acme")

    seeded = shop_command("seed")

    assert seeded.returncode == 0, seeded.stderr
    assert all_orders(base_url, "acme") == before


def test_an_order_goes_from_placed_to_paid_to_shipped(
    base_url: str, products: dict[str, str], shop_command: ShopCommand
) -> None:
    placed = place(base_url, (products["MUG-001"], 2), (products["PEN-001"], 1))

    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["total"] == {"amount": "59.00", "currency": "EUR"}
    location = base_url + placed.headers["location"]  # a path: the client adds the address
    assert location.endswith(f"/api/v1/orders/{order['id']}")
    assert httpx.get(location, headers=AS_ACME).json() == order
    # No client pays (ADR 82): the provider's webhook does, or an operator, as here.
    assert httpx.post(f"{location}/pay", headers=AS_ACME).status_code == 404
    paid = shop_command("orders", "pay", "--tenant", "acme", order["id"])
    assert paid.returncode == 0, paid.stderr
    shipped = httpx.post(f"{location}/ship", headers=AS_ACME)
    assert shipped.json()["status"] == "shipped"
    assert all_orders(base_url, "acme")[0] == shipped.json()  # the newest order comes first


def test_a_cancelled_order_cannot_be_shipped(base_url: str, mug: str) -> None:
    location = base_url + place(base_url, (mug, 1)).headers["location"]

    cancelled = httpx.post(f"{location}/cancel", headers=AS_ACME)
    refused = httpx.post(f"{location}/ship", headers=AS_ACME)

    assert cancelled.json()["status"] == "cancelled"
    problem = assert_problem(refused, 409, "invalid-order-transition")
    assert problem["detail"].endswith("cannot go from cancelled to shipped")


def test_a_retried_placement_places_one_order(base_url: str, mug: str) -> None:
    before = len(all_orders(base_url, "acme"))
    key = {"Idempotency-Key": str(uuid4())}

    first, retry = place(base_url, (mug, 1), **key), place(base_url, (mug, 1), **key)
    reused = place(base_url, (mug, 2), **key)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert retry.headers["idempotent-replayed"] == "true"
    assert_problem(reused, 422, "idempotency-key-reused")
    assert len(all_orders(base_url, "acme")) == before + 1


def test_the_list_pages_and_filters_by_status(base_url: str) -> None:
    first = httpx.get(f"{base_url}/api/v1/orders", headers=AS_ACME, params={"limit": 2}).json()
    second = httpx.get(
        f"{base_url}/api/v1/orders",
        headers=AS_ACME,
        params={"limit": 2, "after": first["next_cursor"]},
    ).json()
    shipped = httpx.get(
        f"{base_url}/api/v1/orders", headers=AS_ACME, params={"status": "shipped"}
    ).json()

    assert len(first["items"]) == len(second["items"]) == 2
    assert not {o["id"] for o in first["items"]} & {o["id"] for o in second["items"]}
    assert shipped["items"]
    assert {order["status"] for order in shipped["items"]} == {"shipped"}


@pytest.mark.usefixtures("orders_unchanged")
def test_another_tenants_order_is_not_found(base_url: str) -> None:
    theirs = all_orders(base_url, "globex")[0]["id"]

    for method in ("GET", "POST"):
        path = f"/api/v1/orders/{theirs}" + ("/cancel" if method == "POST" else "")
        response = httpx.request(method, f"{base_url}{path}", headers=AS_ACME)
        assert_problem(response, 404, "order-not-found")


@pytest.mark.usefixtures("orders_unchanged")
@pytest.mark.parametrize(
    ("headers", "status", "slug"),
    [
        ({"X-Tenant-ID": "umbrella"}, 404, "unknown-tenant"),
        ({"X-Tenant-ID": "Umbrella Corp"}, 400, "tenant-malformed"),
        ({}, 400, "tenant-missing"),
    ],
)
def test_an_unknown_malformed_or_missing_tenant_places_nothing(
    base_url: str, mug: str, headers: dict[str, str], status: int, slug: str
) -> None:
    payload = {"lines": [{"product_id": mug, "quantity": 1}]}

    response = httpx.post(f"{base_url}/api/v1/orders", headers={**OWNER, **headers}, json=payload)

    assert_problem(response, status, slug)


@pytest.mark.usefixtures("orders_unchanged")
@pytest.mark.parametrize(
    ("line", "location"),
    [
        ({"quantity": -1}, ["body", "lines", 0, "quantity"]),
        ({"quantity": 0}, ["body", "lines", 0, "quantity"]),
        ({"quantity": "1"}, ["body", "lines", 0, "quantity"]),
        ({"quantity": 1.5}, ["body", "lines", 0, "quantity"]),
        ({"product_id": 42}, ["body", "lines", 0, "product_id"]),
        ({"price": "0.01"}, ["body", "lines", 0, "price"]),
    ],
    ids=["negative", "zero", "string", "fraction", "number-as-id", "unknown-field"],
)
def test_wrong_types_and_quantities_are_422_problems(
    base_url: str, mug: str, line: dict[str, Any], location: list[Any]
) -> None:
    payload = {"lines": [{"product_id": mug, "quantity": 1, **line}]}

    response = httpx.post(f"{base_url}/api/v1/orders", headers=AS_ACME, json=payload)

    problem = assert_problem(response, 422, "invalid-request")
    assert location in [error["location"] for error in problem["errors"]]


@pytest.mark.usefixtures("orders_unchanged")
def test_malformed_json_is_a_400_problem(base_url: str) -> None:
    response = httpx.post(
        f"{base_url}/api/v1/orders",
        headers={**AS_ACME, "Content-Type": "application/json"},
        content=b'{"lines": [{"product_id": ',
    )

    assert_problem(response, 400, "malformed-json")


@pytest.mark.usefixtures("orders_unchanged")
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_oversized_order_is_a_413_problem(base_url: str, mug: str, *, chunked: bool) -> None:
    line = json.dumps({"product_id": mug, "quantity": 1}).encode()
    content = b'{"lines": [' + b",".join([line] * (DEFAULT_BODY_LIMIT // len(line) + 1)) + b"]}"

    response = httpx.post(
        f"{base_url}/api/v1/orders",
        headers={**AS_ACME, "Content-Type": "application/json"},
        content=iter([content]) if chunked else content,
    )

    assert_problem(response, 413, "body-too-large")


@pytest.mark.usefixtures("orders_unchanged")
def test_an_unknown_product_is_a_422_problem(base_url: str, mug: str) -> None:
    unknown = str(uuid4())

    response = place(base_url, (mug, 1), (unknown, 1))

    problem = assert_problem(response, 422, "product-unavailable")
    assert problem["detail"] == f"product {unknown} is unknown or no longer sold"


@pytest.mark.usefixtures("orders_unchanged")
@pytest.mark.parametrize(
    ("path", "status", "slug"),
    [
        (f"/api/v1/orders/{uuid4()}", 404, "order-not-found"),
        ("/api/v1/orders/not-a-uuid", 422, "invalid-request"),
        ("/api/v1/orders?limit=1000", 422, "invalid-request"),
        ("/api/v1/orders?after=garbage", 422, "invalid-cursor"),
        ("/api/v1/orders?status=lost", 422, "invalid-request"),
    ],
)
def test_bad_reads_are_problems(base_url: str, path: str, status: int, slug: str) -> None:
    assert_problem(httpx.get(f"{base_url}{path}", headers=AS_ACME), status, slug)


@pytest.mark.usefixtures("orders_unchanged")
@pytest.mark.parametrize("step", ["ship", "cancel"])
def test_moving_an_unknown_order_is_a_404_problem(base_url: str, step: str) -> None:
    response = httpx.post(f"{base_url}/api/v1/orders/{uuid4()}/{step}", headers=AS_ACME)

    assert_problem(response, 404, "order-not-found")


def test_the_served_openapi_document_describes_the_orders_endpoints(base_url: str) -> None:
    document = httpx.get(f"{base_url}/openapi.json").json()

    placing = document["paths"]["/api/v1/orders"]["post"]
    assert {"201", "200", "4XX"} <= placing["responses"].keys()
    assert "idempotency-key" in {parameter["name"] for parameter in placing["parameters"]}


def test_the_command_line_lists_the_orders_the_api_placed(
    base_url: str, shop_command: ShopCommand, mug: str
) -> None:
    order = place(base_url, (mug, 1)).json()

    shown = shop_command("orders", "show", "--tenant", "acme", order["id"])

    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == order
