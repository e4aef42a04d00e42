"""The catalog's command handlers: each one command, one transaction.

A handler takes a validated command and a fresh unit of work made for the caller's
tenant, changes one aggregate through its methods, commits, and returns the view.
"""

from catalog.application.commands import AddProduct, DiscontinueProduct, RepriceProduct
from catalog.application.unit_of_work import CatalogUnitOfWork
from catalog.application.views import ProductView
from catalog.domain.errors import SkuAlreadyExistsError
from catalog.domain.product import Product
from catalog.domain.repository import load_product
from catalog.domain.value_objects import ProductId, ProductName, Sku


# --8<-- [start:add-product]
async def add_product(command: AddProduct, uow: CatalogUnitOfWork) -> ProductView:
    """Add a product under a SKU the tenant does not use yet.

    Args:
        command: The validated request.
        uow: A fresh unit of work for the tenant; this handler is one transaction.

    Returns:
        The new product.

    Raises:
        SkuAlreadyExistsError: The tenant already has a product with this SKU.
    """
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


async def reprice_product(command: RepriceProduct, uow: CatalogUnitOfWork) -> ProductView:
    """Change a product's price.

    Raises:
        ProductNotFoundError: The tenant has no product with this id.
        ProductDiscontinuedError: The product was discontinued.
        CurrencyMismatchError: The new price is in another currency.
        ConcurrencyConflictError: Someone else changed the product meanwhile.
    """
    async with uow:
        product = await load_product(uow.products, ProductId(command.product_id))
        product.reprice(command.price.to_money())
        await uow.commit()
    return ProductView.from_product(product)


async def discontinue_product(command: DiscontinueProduct, uow: CatalogUnitOfWork) -> ProductView:
    """Stop selling a product; it stays readable.

    Raises:
        ProductNotFoundError: The tenant has no product with this id.
        ProductDiscontinuedError: The product was already discontinued.
        ConcurrencyConflictError: Someone else changed the product meanwhile.
    """
    async with uow:
        product = await load_product(uow.products, ProductId(command.product_id))
        product.discontinue()
        await uow.commit()
    return ProductView.from_product(product)
