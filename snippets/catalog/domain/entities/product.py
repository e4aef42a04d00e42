"""The Product aggregate: one thing a tenant sells, at one price."""

from typing import Self

from catalog.domain.errors import ProductDiscontinuedError
from catalog.domain.events.product_events import ProductAdded, ProductDiscontinued, ProductRepriced
from catalog.domain.value_objects.price import check_price
from catalog.domain.value_objects.product_id import ProductId
from catalog.domain.value_objects.product_name import ProductName
from catalog.domain.value_objects.sku import Sku
from shared_kernel.aggregate import AggregateRoot
from shared_kernel.money import CurrencyMismatchError, Money
from shared_kernel.tenancy import TenantId


class Product(AggregateRoot[ProductId]):
    """A product of one tenant's catalog.

    Invariants:
        * The price is never negative and keeps the currency it was added with.
        * A discontinued product no longer changes.
        * Every change records exactly one event; no event, no change.

    That a SKU is unique within the tenant is not the product's to know: the command
    handler checks it, and the database's unique constraint settles races.

    Create new products with :meth:`add`. The constructor rebuilds a stored product and
    records nothing.
    """

    def __init__(  # noqa: PLR0913 - a full snapshot of the state, each part named
        self,
        product_id: ProductId,
        *,
        tenant_id: TenantId,
        sku: Sku,
        name: ProductName,
        price: Money,
        active: bool,
        version: int = 0,
    ) -> None:
        """Rebuild a product as it was stored; repositories call this.

        Args:
            product_id: The identity.
            tenant_id: The tenant whose catalog holds the product.
            sku: The stock keeping unit, unique within the tenant.
            name: The name customers see.
            price: The current price.
            active: False once the product was discontinued.
            version: The stored version, for optimistic concurrency.
        """
        super().__init__(product_id, version=version)
        self._tenant_id = tenant_id
        self._sku = sku
        self._name = name
        self._price = price
        self._active = active

    @classmethod
    def add(
        cls,
        tenant_id: TenantId,
        product_id: ProductId,
        *,
        sku: Sku,
        name: ProductName,
        price: Money,
    ) -> Self:
        """Create a new, active product and record that it was added.

        Raises:
            InvalidValueError: The price is negative.
        """
        product = cls(
            product_id,
            tenant_id=tenant_id,
            sku=sku,
            name=name,
            price=check_price(price),
            active=True,
        )
        product.record_event(
            ProductAdded(
                tenant_id=tenant_id.value,
                product_id=product_id.value,
                sku=sku.value,
                name=name.value,
                price=price.amount,
                currency=price.currency,
            )
        )
        return product

    @property
    def tenant_id(self) -> TenantId:
        """The tenant whose catalog holds the product."""
        return self._tenant_id

    @property
    def sku(self) -> Sku:
        """The stock keeping unit."""
        return self._sku

    @property
    def name(self) -> ProductName:
        """The name customers see."""
        return self._name

    @property
    def price(self) -> Money:
        """The current price."""
        return self._price

    @property
    def active(self) -> bool:
        """Whether the product is still sold; False after :meth:`discontinue`."""
        return self._active

    def reprice(self, new_price: Money) -> None:
        """Change the price, keeping its currency.

        Raises:
            ProductDiscontinuedError: The product was discontinued.
            CurrencyMismatchError: ``new_price`` is in another currency.
            InvalidValueError: ``new_price`` is negative.
        """
        self._ensure_active()
        if new_price.currency != self._price.currency:
            # Changing the currency would change the meaning of every stored price.
            raise CurrencyMismatchError(self._price.currency, new_price.currency)
        check_price(new_price)
        if new_price == self._price:
            return  # nothing happened, so there is no event and nothing to store
        old_price, self._price = self._price, new_price
        self.record_event(
            ProductRepriced(
                tenant_id=self._tenant_id.value,
                product_id=self.id.value,
                old_price=old_price.amount,
                new_price=new_price.amount,
                currency=new_price.currency,
            )
        )

    def discontinue(self) -> None:
        """Stop selling the product; it stays readable, and orders no longer accept it.

        Raises:
            ProductDiscontinuedError: The product was already discontinued.
        """
        self._ensure_active()
        self._active = False
        self.record_event(
            ProductDiscontinued(tenant_id=self._tenant_id.value, product_id=self.id.value)
        )

    def _ensure_active(self) -> None:
        if not self._active:
            raise ProductDiscontinuedError(self.id.value)
