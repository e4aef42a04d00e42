"""Add a product to the tenant's catalog."""

from catalog.application.dto.product_commands import AddProduct
from catalog.application.dto.product_views import ProductView
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.domain.entities.product import Product
from catalog.domain.errors import SkuAlreadyExistsError
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.authorization import Actor, Permission


# --8<-- [start:add-product]
async def add_product(command: AddProduct, uow: CatalogUnitOfWork, *, actor: Actor) -> ProductView:
    """Add a product under a SKU the tenant does not use yet.

    Args:
        command: The validated request.
        uow: A fresh unit of work for the tenant; this use case is one transaction.
        actor: Who adds it; they need ``catalog:write``.

    Returns:
        The new product.

    Raises:
        PermissionDeniedError: The actor may not add products.
        SkuAlreadyExistsError: The tenant already has a product with this SKU.
    """
    # --8<-- [start:permission-check]
    actor.require(Permission.CATALOG_WRITE)  # before anything is read
    # --8<-- [end:permission-check]
    sku = Sku(command.sku)
    async with uow:
        # An early, clear answer; the unique constraint settles concurrent adds.
        if await uow.products.get_by_sku(sku) is not None:
            raise SkuAlreadyExistsError(sku.value)
        product = Product.add(
            uow.tenant_id,  # the tenant comes from the unit of work, never from the caller
            ProductId.new(),
            sku=sku,
            name=ProductName(command.name),
            price=command.price.to_money(),
        )
        await uow.products.add(product)
        await uow.commit()
    return ProductView.from_product(product)


# --8<-- [end:add-product]
