"""The errors of tenancy, each naming the tenant it is about."""

from shared_kernel.errors import DomainError
from shared_kernel.tenancy import TenantId


class TenantAlreadyExistsError(DomainError):
    """A tenant with this id is already registered."""

    def __init__(self, tenant_id: TenantId) -> None:
        super().__init__(f"a tenant with the id {tenant_id.value} already exists")


class UnknownTenantError(DomainError):
    """No tenant has this id."""

    def __init__(self, tenant_id: TenantId) -> None:
        super().__init__(f"no tenant has the id {tenant_id.value}")
