"""Any class with the right async methods is a Repository; no base class needed."""

import pytest

from shared_kernel.aggregate import AggregateRoot
from shared_kernel.errors import DomainError
from shared_kernel.repository import ConcurrencyConflictError, Repository


class Account(AggregateRoot[int]):
    pass


class InMemoryAccounts:
    def __init__(self) -> None:
        self.accounts: dict[int, Account] = {}

    async def get(self, account_id: int) -> Account | None:
        return self.accounts.get(account_id)

    async def add(self, account: Account) -> None:
        self.accounts[account.id] = account


async def open_account(accounts: Repository[Account, int], account_id: int) -> Account | None:
    await accounts.add(Account(account_id))
    return await accounts.get(account_id)


@pytest.mark.anyio
async def test_an_in_memory_class_serves_as_a_repository() -> None:
    accounts = InMemoryAccounts()
    assert await open_account(accounts, 7) == Account(7)
    assert await accounts.get(8) is None


def test_a_concurrency_conflict_is_not_a_broken_business_rule() -> None:
    assert not issubclass(ConcurrencyConflictError, DomainError)
