"""Every statement every use case sends names the unit of work's tenant, and only it.

The repositories, queries and stores build their statements through a ``TenantScope``
(ADR 11), and the kernel's versioned ``UPDATE`` adds to the repository's statement
without dropping its tenant. Run through the use cases, as the API and the command line
run them, and recorded as the engine sends them, with their parameters.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog.application.dto.product_commands import (
    AddProduct,
    DiscontinueProduct,
    RepriceProduct,
)
from catalog.application.use_cases.add_product import add_product
from catalog.application.use_cases.discontinue_product import discontinue_product
from catalog.application.use_cases.reprice_product import reprice_product
from ordering.application.dto.order_commands import CancelOrder, PayOrder, PlaceOrder, ShipOrder
from ordering.application.use_cases.cancel_order import cancel_order
from ordering.application.use_cases.compile_sales_report import compile_sales_report
from ordering.application.use_cases.pay_order import pay_order
from ordering.application.use_cases.place_order import place_order
from ordering.application.use_cases.ship_order import ship_order
from shared_kernel.authorization import OPERATOR
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

GLOBEX = TenantId("globex")


@contextmanager
def sent(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        statements.append((args[2], args[3]))  # statement, parameters

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def names_the_tenant(statement: str, parameters: Any) -> bool:
    rows = parameters if isinstance(parameters, list) else [parameters]
    values = [value for row in rows for value in (row.values() if isinstance(row, dict) else row)]
    return "tenant_id" in statement and "globex" in values and "acme" not in values


async def test_every_statement_of_every_use_case_names_the_tenant(
    services: Services, engine: AsyncEngine
) -> None:
    price = {"amount": "12.50", "currency": "EUR"}

    with sent(engine) as statements:
        added = await add_product(
            AddProduct.model_validate({"sku": "MUG-001", "name": "Mug", "price": price}),
            services.catalog_unit_of_work(GLOBEX),
            actor=OPERATOR,
        )
        new_price = {"amount": "13.00", "currency": "EUR"}
        await reprice_product(
            RepriceProduct.model_validate({"product_id": added.id, "price": new_price}),
            services.catalog_unit_of_work(GLOBEX),
            actor=OPERATOR,
        )
        lines = {"lines": [{"product_id": added.id, "quantity": 2}]}
        placed = [
            await place_order(
                PlaceOrder.model_validate(lines),
                services.ordering_unit_of_work(GLOBEX),
                services.clock,
                key,
                actor=OPERATOR,
            )
            for key in ("key-1", "key-2")
        ]
        first, second = (result.order.id for result in placed)
        await pay_order(
            PayOrder(order_id=first), services.ordering_unit_of_work(GLOBEX), actor=OPERATOR
        )
        await ship_order(
            ShipOrder(order_id=first), services.ordering_unit_of_work(GLOBEX), actor=OPERATOR
        )
        await cancel_order(
            CancelOrder(order_id=second), services.ordering_unit_of_work(GLOBEX), actor=OPERATOR
        )
        await discontinue_product(
            DiscontinueProduct(product_id=added.id),
            services.catalog_unit_of_work(GLOBEX),
            actor=OPERATOR,
        )
        await compile_sales_report(services.sales_reports(GLOBEX), services.clock)
        await services.sales_reports(GLOBEX).recent(limit=7)

    assert len(statements) >= 20
    assert [s for s, parameters in statements if not names_the_tenant(s, parameters)] == []
