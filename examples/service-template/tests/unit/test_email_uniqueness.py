"""The domain service that keeps e-mail addresses unique."""

from datetime import UTC, datetime

import pytest

from app.application.interfaces.unit_of_work import UnitOfWorkFactory
from app.domain.entities.customer import Customer
from app.domain.errors import EmailAlreadyRegisteredError
from app.domain.services.email_uniqueness import ensure_email_is_free
from app.domain.value_objects.customer_id import CustomerId
from app.domain.value_objects.customer_name import CustomerName
from app.domain.value_objects.email_address import EmailAddress

pytestmark = pytest.mark.anyio


async def test_a_free_address_passes(new_uow: UnitOfWorkFactory) -> None:
    async with new_uow() as uow:
        await ensure_email_is_free(EmailAddress("ada@example.com"), uow.customers)


async def test_a_registered_address_is_refused(new_uow: UnitOfWorkFactory) -> None:
    async with new_uow() as uow:
        await uow.customers.add(
            Customer.register(
                CustomerId.new(),
                EmailAddress("ada@example.com"),
                CustomerName("Ada"),
                datetime(2025, 1, 1, tzinfo=UTC),
            )
        )
        await uow.commit()

    async with new_uow() as uow:
        with pytest.raises(EmailAlreadyRegisteredError, match=r"ada@example\.com is already"):
            await ensure_email_is_free(EmailAddress("ADA@example.com"), uow.customers)
