"""The contexts' HTTP dependencies on fakes: what they read, and how they refuse.

Each context's dependencies read the platform's two promises: its services on
``request.app.state.services``, implementing the context's port, and the request's tenant
on ``request.state.tenant_id``. Any object that implements the port will do, so these
tests serve the fakes of the ports, with no database, and build each request by hand.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI, Request

from catalog.application.dto.product_commands import AddProduct
from catalog.application.interfaces.product_queries import ProductQueries, ProductQueriesFactory
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork, CatalogUnitOfWorkFactory
from catalog.application.use_cases.add_product import add_product
from catalog.presentation.api import dependencies as catalog
from ordering.application.dto.order_commands import PlaceOrder
from ordering.application.interfaces.order_queries import OrderQueries, OrderQueriesFactory
from ordering.application.interfaces.product_catalog import ProductSnapshot
from ordering.application.interfaces.unit_of_work import (
    OrderingUnitOfWork,
    OrderingUnitOfWorkFactory,
)
from ordering.application.use_cases.place_order import place_order
from ordering.presentation.api import dependencies as ordering
from shared_kernel.authorization import OPERATOR, Actor, Permission, PermissionDeniedError
from shared_kernel.clock import Clock, FixedClock
from shared_kernel.money import Money
from shared_kernel.tenancy import TenantId
from tenancy.presentation.api import dependencies as tenancy

pytestmark = pytest.mark.anyio

ACME, GLOBEX = TenantId("acme"), TenantId("globex")
Dependency = Callable[[Request], Awaitable[object]]


@dataclass(frozen=True)
class CatalogOnlyServices:
    """Implements the catalog's port, and not ordering's."""

    new_catalog_uow: CatalogUnitOfWorkFactory
    new_product_queries: ProductQueriesFactory

    def catalog_unit_of_work(self, tenant_id: TenantId) -> CatalogUnitOfWork:
        return self.new_catalog_uow(tenant_id)

    def product_queries(self, tenant_id: TenantId) -> ProductQueries:
        return self.new_product_queries(tenant_id)


@dataclass(frozen=True)
class FakeServices(CatalogOnlyServices):
    """Both contexts' ports on the fakes, as the shop's Services has them on its adapters."""

    new_ordering_uow: OrderingUnitOfWorkFactory
    new_order_queries: OrderQueriesFactory
    clock: Clock

    def ordering_unit_of_work(self, tenant_id: TenantId) -> OrderingUnitOfWork:
        return self.new_ordering_uow(tenant_id)

    def order_queries(self, tenant_id: TenantId) -> OrderQueries:
        return self.new_order_queries(tenant_id)


@pytest.fixture
def services(
    new_catalog_uow: CatalogUnitOfWorkFactory,
    product_queries: ProductQueriesFactory,
    new_ordering_uow: OrderingUnitOfWorkFactory,
    order_queries: OrderQueriesFactory,
    clock: FixedClock,
) -> FakeServices:
    return FakeServices(new_catalog_uow, product_queries, new_ordering_uow, order_queries, clock)


def request(services: object, tenant_id: object = None, actor: object = OPERATOR) -> Request:
    """A request to an app serving ``services``, for ``tenant_id`` if it is not None.

    It acts as ``actor``, as the platform's tenant access leaves it, unless that is None.
    """
    app = FastAPI()
    if services is not None:
        app.state.services = services
    state: dict[str, Any] = {} if tenant_id is None else {"tenant_id": tenant_id}
    if actor is not None:
        state["actor"] = actor
    return Request({"type": "http", "app": app, "state": state})


def test_any_object_with_the_methods_implements_a_contexts_port(services: FakeServices) -> None:
    # Annotated, so that mypy checks the structure too: neither class names a port.
    catalog_port: catalog.CatalogServices = services
    ordering_port: ordering.OrderingServices = services

    assert isinstance(catalog_port, catalog.CatalogServices)
    assert isinstance(ordering_port, ordering.OrderingServices)
    assert not isinstance(
        CatalogOnlyServices(services.new_catalog_uow, services.new_product_queries),
        ordering.OrderingServices,
    )


async def test_the_catalogs_dependencies_serve_the_requests_tenant(services: FakeServices) -> None:
    command = AddProduct.model_validate(
        {"sku": "MUG-001", "name": "Mug", "price": {"amount": "12.50", "currency": "EUR"}}
    )
    uow = await catalog.catalog_unit_of_work(request(services, ACME))
    await add_product(command, uow, actor=OPERATOR)

    pages = {
        tenant: await (await catalog.product_queries(request(services, tenant))).list_page(
            after=None, limit=10
        )
        for tenant in (ACME, GLOBEX)
    }

    assert uow.tenant_id == ACME
    assert [product.sku for product in pages[ACME].items] == ["MUG-001"]
    assert pages[GLOBEX].items == []


async def test_ordering_dependencies_serve_the_requests_tenant(
    services: FakeServices, stock: dict[TenantId, dict[Any, ProductSnapshot]]
) -> None:
    product_id = uuid4()
    stock[ACME] = {
        product_id: ProductSnapshot("MUG-001", "Mug", Money(Decimal(12), "EUR"), available=True)
    }
    command = PlaceOrder.model_validate({"lines": [{"product_id": product_id, "quantity": 2}]})
    as_acme = request(services, ACME)

    placed = await place_order(
        command,
        await ordering.ordering_unit_of_work(as_acme),
        await ordering.clock(as_acme),
        actor=OPERATOR,
    )
    pages = {
        tenant: await (await ordering.order_queries(request(services, tenant))).list_page(
            after=None, limit=10
        )
        for tenant in (ACME, GLOBEX)
    }

    assert placed.order.placed_at == services.clock.now()
    assert [order.id for order in pages[ACME].items] == [placed.order.id]
    assert pages[GLOBEX].items == []


CATALOG_DEPENDENCIES: list[Dependency] = [catalog.catalog_unit_of_work, catalog.product_queries]
ORDERING_DEPENDENCIES: list[Dependency] = [
    ordering.ordering_unit_of_work,
    ordering.order_queries,
    ordering.clock,
]


@pytest.mark.parametrize(
    ("dependency", "port"),
    [(dependency, "CatalogServices") for dependency in CATALOG_DEPENDENCIES]
    + [(dependency, "OrderingServices") for dependency in ORDERING_DEPENDENCIES]
    + [(tenancy.tenant_directory, "TenancyServices")],
)
async def test_an_app_without_the_contexts_port_is_refused_naming_it(
    services: FakeServices, dependency: Dependency, port: str
) -> None:
    catalog_only = CatalogOnlyServices(services.new_catalog_uow, services.new_product_queries)
    refused = [None, object()] + ([catalog_only] if port == "OrderingServices" else [])

    for wrong in refused:
        with pytest.raises(TypeError, match=f"must implement {port}; got") as error:
            await dependency(request(wrong, ACME))
        assert str(error.value).endswith(type(wrong).__name__)


@pytest.mark.parametrize(
    "dependency",
    [*CATALOG_DEPENDENCIES, *ORDERING_DEPENDENCIES[:-1]],  # the clock needs no tenant
)
@pytest.mark.parametrize("tenant_id", [None, "acme"])
async def test_a_request_without_its_tenant_is_refused(
    services: FakeServices, dependency: Dependency, tenant_id: object
) -> None:
    with pytest.raises(TypeError, match=r"request\.state\.tenant_id must be the TenantId"):
        await dependency(request(services, tenant_id))


@pytest.mark.parametrize(
    "dependency", [catalog.product_queries, catalog.actor, ordering.order_queries, ordering.actor]
)
@pytest.mark.parametrize("actor", [None, "owner"])
async def test_a_request_without_its_actor_is_refused(
    services: FakeServices, dependency: Dependency, actor: object
) -> None:
    with pytest.raises(TypeError, match=r"request\.state\.actor must be the Actor"):
        await dependency(request(services, ACME, actor))


async def test_the_reads_are_handed_out_only_to_an_actor_who_may_read(
    services: FakeServices,
) -> None:
    browsing = Actor("someone", frozenset({Permission.CATALOG_READ}))

    products = await catalog.product_queries(request(services, ACME, browsing))
    with pytest.raises(PermissionDeniedError, match="does not allow orders:read-own"):
        await ordering.order_queries(request(services, ACME, browsing))

    assert (await products.list_page(after=None, limit=1)).items == []
    assert await catalog.actor(request(services, ACME, browsing)) is browsing
