"""The Customer aggregate: its factory, its behaviour and its invariants."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.domain.entities.customer import Customer
from app.domain.errors import CustomerInactiveError
from app.domain.events.customer_events import (
    CustomerDeactivated,
    CustomerRegistered,
    CustomerRenamed,
)
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress

REGISTERED_AT = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


def new_customer() -> Customer:
    customer = Customer.register(
        CustomerId.new(), EmailAddress("ada@example.com"), CustomerName("Ada"), REGISTERED_AT
    )
    customer.pull_events()
    return customer


def test_register_creates_an_active_customer_and_records_the_registration() -> None:
    customer_id = CustomerId.new()

    customer = Customer.register(
        customer_id, EmailAddress("ada@example.com"), CustomerName("Ada"), REGISTERED_AT
    )

    assert (customer.id, customer.email.value, customer.name.value) == (
        customer_id,
        "ada@example.com",
        "Ada",
    )
    assert customer.active
    assert customer.registered_at == REGISTERED_AT
    assert customer.version == 0
    [event] = customer.pull_events()
    assert event == CustomerRegistered(
        customer_id=customer_id.value,
        email="ada@example.com",
        name="Ada",
        event_id=event.event_id,
        occurred_at=event.occurred_at,
    )


def test_rebuilding_a_stored_customer_records_nothing() -> None:
    customer = Customer(
        CustomerId.new(),
        email=EmailAddress("ada@example.com"),
        name=CustomerName("Ada"),
        active=False,
        registered_at=REGISTERED_AT,
        version=3,
    )
    assert customer.pull_events() == []
    assert not customer.active
    assert customer.version == 3


def test_rename_changes_the_name_and_records_old_and_new() -> None:
    customer = new_customer()

    customer.rename(CustomerName("Ada Lovelace"))

    assert customer.name == CustomerName("Ada Lovelace")
    [event] = customer.pull_events()
    assert isinstance(event, CustomerRenamed)
    assert (event.customer_id, event.old_name, event.new_name) == (
        customer.id.value,
        "Ada",
        "Ada Lovelace",
    )


def test_renaming_to_the_same_name_is_no_change_and_records_nothing() -> None:
    customer = new_customer()
    customer.rename(CustomerName("Ada"))
    assert customer.pull_events() == []


def test_deactivate_closes_the_customer_and_records_it() -> None:
    customer = new_customer()

    customer.deactivate()

    assert not customer.active
    [event] = customer.pull_events()
    assert isinstance(event, CustomerDeactivated)
    assert event.customer_id == customer.id.value


@pytest.mark.parametrize(
    "change",
    [lambda c: c.rename(CustomerName("Someone Else")), Customer.deactivate],
    ids=["rename", "deactivate"],
)
def test_a_deactivated_customer_cannot_change(change: Callable[[Customer], None]) -> None:
    customer = new_customer()
    customer.deactivate()
    customer.pull_events()

    with pytest.raises(CustomerInactiveError, match="is deactivated and cannot be changed"):
        change(customer)

    assert customer.name == CustomerName("Ada")
    assert customer.pull_events() == []
