"""What identity shows of a user: plain, serialisable models."""

from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from identity.domain.entities.user import User
from identity.domain.value_objects.role import Role


class MembershipView(BaseModel):
    """One tenant the user belongs to, and as what."""

    model_config = ConfigDict(frozen=True)

    tenant_id: str
    role: Role


class UserView(BaseModel):
    """A user, as the user sees themselves: never the password's hash."""

    model_config = ConfigDict(frozen=True)

    user_id: UUID
    email: str
    display_name: str
    email_verified: bool
    memberships: list[MembershipView]

    @classmethod
    def from_user(cls, user: User) -> Self:
        """Copy what the user may see out of the aggregate."""
        return cls(
            user_id=user.user_id.value,
            email=user.email.value,
            display_name=user.display_name.value,
            email_verified=user.email_verified,
            memberships=[
                MembershipView(tenant_id=m.tenant_id.value, role=m.role) for m in user.memberships
            ],
        )
