"""The customer's value objects: ids, e-mail addresses and names."""

import pytest

from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress
from shared_kernel.errors import InvalidValueError


def test_new_ids_are_random_and_print_as_a_bare_uuid() -> None:
    first, second = CustomerId.new(), CustomerId.new()
    assert first != second
    assert str(first) == str(first.value)


def test_an_email_address_is_stored_trimmed_and_in_lower_case() -> None:
    email = EmailAddress("  Ada.Lovelace@Example.COM ")
    assert str(email) == "ada.lovelace@example.com"
    assert email == EmailAddress("ada.lovelace@example.com")


@pytest.mark.parametrize("raw", ["", "ada", "ada@", "@example.com", "ada@example", "a da@x.io"])
def test_malformed_email_addresses_are_rejected(raw: str) -> None:
    with pytest.raises(InvalidValueError, match="not an e-mail address"):
        EmailAddress(raw)


def test_an_email_address_longer_than_smtp_allows_is_rejected() -> None:
    with pytest.raises(InvalidValueError, match="at most 254 characters"):
        EmailAddress("a" * 250 + "@x.io")


def test_a_name_prints_as_itself() -> None:
    assert str(CustomerName("Ada Lovelace")) == "Ada Lovelace"


@pytest.mark.parametrize("raw", ["", "   "])
def test_a_blank_name_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidValueError, match="must not be blank"):
        CustomerName(raw)


def test_a_name_longer_than_the_limit_is_rejected() -> None:
    assert CustomerName("x" * CustomerName.MAX_LENGTH)
    with pytest.raises(InvalidValueError, match="at most 100 characters"):
        CustomerName("x" * (CustomerName.MAX_LENGTH + 1))
