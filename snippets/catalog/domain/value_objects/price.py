"""The rule for prices: money that is not negative."""

from shared_kernel.errors import InvalidValueError
from shared_kernel.money import Money


def check_price(price: Money) -> Money:
    """Return ``price`` if it can be a product's price: any amount that is not negative.

    A function rather than a ``Price`` type, because a price is money in every other
    respect; the input models call it too, so a negative price is a field error.

    Raises:
        InvalidValueError: The amount is negative.
    """
    if price.amount < 0:
        raise InvalidValueError(f"a price must not be negative, got {price}")
    return price
