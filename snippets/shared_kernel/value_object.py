"""Value objects: immutable values compared by what they contain.

Example:
    A value object is a frozen dataclass that checks itself when it is built:

    ```py
    from dataclasses import dataclass
    from decimal import Decimal

    from shared_kernel.errors import InvalidValueError
    from shared_kernel.value_object import ValueObject


    @dataclass(frozen=True)
    class Money(ValueObject):
        amount: Decimal
        currency: str

        def validate(self) -> None:
            if len(self.currency) != 3 or not self.currency.isupper():
                raise InvalidValueError(f"not an ISO 4217 currency code: {self.currency!r}")


    money = Money(Decimal("10.00"), "EUR")
    print(money)
    #> Money(amount=Decimal('10.00'), currency='EUR')
    print(money == Money(Decimal("10.00"), "EUR"))
    #> True
    try:
        Money(Decimal("10.00"), "euro")
    except InvalidValueError as error:
        print(error)
        #> not an ISO 4217 currency code: 'euro'
    ```
"""

from dataclasses import dataclass


# --8<-- [start:value-object]
@dataclass(frozen=True)
class ValueObject:
    """Base of immutable, self-validating values.

    Subclasses are ``@dataclass(frozen=True)`` too: the dataclass machinery gives them
    equality and hashing by value, and ``frozen`` makes assignment raise, so a value that
    passed validation once stays valid. To change a value, build a new one.
    """

    # --8<-- [start:validation-hook]
    def __post_init__(self) -> None:
        """Validate every new instance; an invalid value object never exists."""
        self.validate()

    def validate(self) -> None:
        """Check the value's rules; override and raise ``InvalidValueError`` on a breach.

        The base accepts everything, so values without rules need no override.
        """

    # --8<-- [end:validation-hook]


# --8<-- [end:value-object]
