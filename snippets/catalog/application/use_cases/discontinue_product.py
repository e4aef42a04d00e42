"""Stop selling a product."""

from catalog.application.dto.product_commands import DiscontinueProduct
from catalog.application.dto.product_views import ProductView
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.domain.repositories.product_repository import load_product
from catalog.domain.value_objects.product_id import ProductId


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
