"""Change a product's price."""

from catalog.application.dto.product_commands import RepriceProduct
from catalog.application.dto.product_views import ProductView
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.domain.repositories.product_repository import load_product
from catalog.domain.value_objects.product_id import ProductId


async def reprice_product(command: RepriceProduct, uow: CatalogUnitOfWork) -> ProductView:
    """Change a product's price, in the currency it already has.

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
