"""The errors of the catalog, each naming the rule that was broken."""

from uuid import UUID

from shared_kernel.errors import DomainError, InvariantViolationError


class ProductNotFoundError(DomainError):
    """No product of this tenant has the requested id."""

    def __init__(self, product_id: UUID) -> None:
        super().__init__(f"no product has the id {product_id}")
        self.product_id = product_id


class SkuAlreadyExistsError(DomainError):
    """Another product of this tenant already has the SKU; SKUs are unique per tenant."""

    def __init__(self, sku: str) -> None:
        super().__init__(f"a product with the SKU {sku} already exists")
        self.sku = sku


class ProductDiscontinuedError(InvariantViolationError):
    """The product was discontinued, and a discontinued product no longer changes."""

    def __init__(self, product_id: UUID) -> None:
        super().__init__(f"product {product_id} is discontinued and cannot be changed")
        self.product_id = product_id
