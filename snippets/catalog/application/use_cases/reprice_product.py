"""Change a product's price."""

from catalog.application.dto.product_commands import RepriceProduct
from catalog.application.dto.product_views import ProductView
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.domain.repositories.product_repository import load_product
from catalog.domain.value_objects.product_id import ProductId
from shared_kernel.authorization import Actor, Permission


async def reprice_product(
    command: RepriceProduct, uow: CatalogUnitOfWork, *, actor: Actor
) -> ProductView:
    """Change a product's price, in the currency it already has.

    Raises:
        PermissionDeniedError: The actor may not change prices.
        ProductNotFoundError: The tenant has no product with this id.
        ProductDiscontinuedError: The product was discontinued.
        CurrencyMismatchError: The new price is in another currency.
        ConcurrencyConflictError: Someone else changed the product meanwhile.
    """
    actor.require(Permission.CATALOG_WRITE)  # before anything is read
    async with uow:
        product = await load_product(uow.products, ProductId(command.product_id))
        product.reprice(command.price.to_money())
        await uow.commit()
    return ProductView.from_product(product)
