"""A client generated from the shop's live document, driving a whole flow.

openapi-python-client builds a client package from ``/openapi.json`` into a temporary
folder; the test imports it and, through the app in process, adds a product, places an
order for it and reads a problem document back as the one ``Problem`` model.
"""

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.infrastructure.database.schema import MIGRATIONS
from shop.presentation.api.application import shop_app
from shop.settings import Settings
from tenancy.domain.entities.tenant import Tenant

pytestmark = pytest.mark.anyio

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def services(tmp_path: Path) -> Any:
    url = SecretStr(f"sqlite+aiosqlite:///{tmp_path / 'shop.db'}")
    services = bootstrap(Settings(_env_file=None, database_url=url, redis_url=None))
    await MIGRATIONS.upgrade(services.engine)
    acme = Tenant(TenantId("acme"), "Acme Corporation", datetime(2025, 1, 1, tzinfo=UTC))
    await services.tenant_directory().add(acme)
    yield services
    await services.engine.dispose()


def module(name: str) -> ModuleType:
    return importlib.import_module(f"shop_client.{name}")


@pytest.fixture
def generated(tmp_path: Path, services: Services) -> Iterator[ModuleType]:
    """The client package generated from the document the app serves."""
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(shop_app(services).openapi()), encoding="utf-8")
    subprocess.run(  # noqa: S603 - the generator installed beside this Python, fixed arguments
        [str(GENERATOR), "generate", "--path", str(document), "--meta", "none"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("shop_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.startswith("shop_client")]:
            del sys.modules[name]


async def test_a_generated_client_drives_a_whole_flow(
    generated: ModuleType, services: Services
) -> None:
    models = module("models")
    # An owner of acme's token, signed as a login signs it, sent by the client it is given.
    owner = [Membership(TenantId("acme"), Role.OWNER)]
    token = services.access_token_issuer().issue(str(UserId.new().value), owner).token
    client = generated.AuthenticatedClient(base_url="http://testserver", token=token)
    transport = httpx.ASGITransport(app=shop_app(services))
    client.set_async_httpx_client(
        httpx.AsyncClient(
            transport=transport,
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}"},
        )
    )
    create_product = module("api.products.create_product")
    place_order = module("api.orders.place_order")
    get_order = module("api.orders.get_order")

    mug = models.AddProduct(
        sku="MUG-001",
        name="Enamel mug",
        price=models.MoneyInput(amount="12.50", currency=models.MoneyInputCurrency.EUR),
    )
    product = await create_product.asyncio(client=client, body=mug, x_tenant_id="acme")
    order = await place_order.asyncio(
        client=client,
        body=models.PlaceOrder(lines=[models.PlaceOrderLine(product_id=product.id, quantity=3)]),
        x_tenant_id="acme",
    )
    again = await create_product.asyncio(client=client, body=mug, x_tenant_id="acme")
    missing = await get_order.asyncio(client=client, order_id=product.id, x_tenant_id="acme")

    assert isinstance(product, models.ProductView)
    assert isinstance(order, models.OrderDetails)
    assert (order.total.amount, order.total.currency) == ("37.50", "EUR")
    assert isinstance(again, models.Problem)
    assert (again.status, again.type_) == (409, "tag:shop.example,2025:problems/sku-taken")
    assert isinstance(missing, models.Problem)
    assert missing.status == 404
    await client.get_async_httpx_client().aclose()
