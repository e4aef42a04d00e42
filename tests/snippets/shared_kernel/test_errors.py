"""Every domain error can be caught as DomainError."""

import pytest

from shared_kernel.errors import DomainError, InvalidValueError, InvariantViolationError


@pytest.mark.parametrize("error_type", [InvalidValueError, InvariantViolationError])
def test_specific_errors_are_domain_errors_with_their_message(
    error_type: type[DomainError],
) -> None:
    with pytest.raises(DomainError, match=r"^the rule$"):
        raise error_type("the rule")
