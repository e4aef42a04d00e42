"""Input models validate with the domain's rules; output models copy the aggregate."""

from datetime import UTC, datetime

import pydantic
import pytest

from app.application.dto.customer_commands import ListCustomers, RegisterCustomer, RenameCustomer
from app.application.dto.customer_views import CustomerView
from app.domain.entities.customer import Customer
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress


def test_register_customer_holds_the_normalised_address() -> None:
    command = RegisterCustomer(email=" Ada@Example.com", name="Ada")
    assert command.email == "ada@example.com"


def test_each_invalid_field_is_reported_at_its_location_with_the_domain_message() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        RegisterCustomer(email="not-an-address", name=" ")
    errors = {error["loc"]: error["msg"] for error in caught.value.errors()}
    assert errors == {
        ("email",): "Value error, not an e-mail address: 'not-an-address'",
        ("name",): "Value error, a customer name must not be blank",
    }


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        RenameCustomer.model_validate({"name": "Ada", "email": "ada@example.com"})


@pytest.mark.parametrize("fields", [{"after": 7}, {"limit": 0}, {"limit": 101}, {"offset": 2}])
def test_list_customers_bounds_the_page(fields: dict[str, int]) -> None:
    with pytest.raises(pydantic.ValidationError):
        ListCustomers.model_validate(fields)


def test_a_view_copies_what_callers_may_see() -> None:
    registered_at = datetime(2025, 1, 1, tzinfo=UTC)
    customer = Customer.register(
        CustomerId.new(), EmailAddress("ada@example.com"), CustomerName("Ada"), registered_at
    )

    view = CustomerView.from_customer(customer)

    assert view.model_dump() == {
        "id": customer.id.value,
        "email": "ada@example.com",
        "name": "Ada",
        "active": True,
        "registered_at": registered_at,
    }
