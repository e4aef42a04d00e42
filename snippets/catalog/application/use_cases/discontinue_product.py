"""Stop selling a product."""

from catalog.application.dto.product_commands import DiscontinueProduct
from catalog.application.dto.product_views import ProductView
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.domain.repositories.product_repository import load_product
from catalog.domain.value_objects.product_id import ProductId
from shared_kernel.authorization import Actor, Permission


async def discontinue_product(
    command: DiscontinueProduct, uow: CatalogUnitOfWork, *, actor: Actor
) -> ProductView:
    """Stop selling a product; it stays readable.

    Raises:
        PermissionDeniedError: The actor may not discontinue products.
        ProductNotFoundError: The tenant has no product with this id.
        ProductDiscontinuedError: The product was already discontinued.
        ConcurrencyConflictError: Someone else changed the product meanwhile.
    """
    actor.require(Permission.CATALOG_WRITE)  # before anything is read
    async with uow:
        product = await load_product(uow.products, ProductId(command.product_id))
        product.discontinue()
        await uow.commit()
    return ProductView.from_product(product)
