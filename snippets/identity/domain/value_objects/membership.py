"""A user's membership of a tenant."""

from dataclasses import dataclass

from identity.domain.value_objects.role import Role
from shared_kernel.tenancy import TenantId
from shared_kernel.value_object import ValueObject


@dataclass(frozen=True)
class Membership(ValueObject):
    """A user belongs to ``tenant_id`` as ``role``; a user holds one role per tenant."""

    tenant_id: TenantId
    role: Role
