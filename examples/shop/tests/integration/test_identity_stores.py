"""Identity's stores on each database: users, memberships, and tokens used once."""

import asyncio
from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.application.dto.user_commands import ResetPassword, VerifyEmail
from identity.application.errors import InvalidLinkTokenError, InvalidRefreshTokenError
from identity.application.interfaces.one_time_token_store import Purpose
from identity.application.interfaces.refresh_token_store import Redemption, RefreshTokenRecord
from identity.application.use_cases.grant_membership import grant_membership
from identity.application.use_cases.refresh_session import refresh_session
from identity.application.use_cases.reset_password import reset_password
from identity.application.use_cases.verify_email import verify_email
from identity.domain.entities.user import User
from identity.domain.errors import (
    EmailAlreadyRegisteredError,
    MembershipTenantUnknownError,
    UnknownUserError,
)
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.secret_token import SecretToken
from identity.domain.value_objects.user_id import UserId
from identity.infrastructure.database.one_time_token_store import SqlAlchemyOneTimeTokenStore
from identity.infrastructure.database.refresh_token_store import SqlAlchemyRefreshTokenStore
from identity.infrastructure.database.user_repository import SqlAlchemyUserRepository
from identity.infrastructure.security.argon2_hasher import Argon2PasswordHasher
from shared_kernel.clock import FixedClock
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services

from .conftest import NOW

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("tenants")]

LATER = FixedClock(NOW + timedelta(days=30))
NEW_PASSWORD = "a brand new secret"  # noqa: S105 - a test user's


async def ann(engine: AsyncEngine) -> User:
    user = User(UserId.new(), EmailAddress("ann@example.org"), DisplayName("Ann"), "h", NOW)
    await SqlAlchemyUserRepository(engine).add(user)
    return user


async def a_refresh_token(engine: AsyncEngine, user: User) -> SecretToken:
    token = SecretToken.generate()
    record = RefreshTokenRecord(
        token.selector, token.digest(), uuid4(), user.user_id, NOW + timedelta(days=1)
    )
    await SqlAlchemyRefreshTokenStore(engine).add(record)
    return token


async def test_a_user_is_stored_and_found_by_id_and_address(engine: AsyncEngine) -> None:
    users = SqlAlchemyUserRepository(engine)
    user = await ann(engine)

    assert await users.get(user.user_id) == user
    assert await users.get_by_email(EmailAddress("ANN@example.org")) == user
    assert await users.get(UserId.new()) is None
    with pytest.raises(EmailAlreadyRegisteredError):
        await ann(engine)


async def test_a_grant_adds_a_membership_and_a_second_changes_the_role(engine: AsyncEngine) -> None:
    users = SqlAlchemyUserRepository(engine)
    user = await ann(engine)
    email = EmailAddress("ann@example.org")

    await grant_membership(email, Membership(TenantId("globex"), Role.CLERK), users)
    await grant_membership(email, Membership(TenantId("acme"), Role.CUSTOMER), users)
    view = await grant_membership(email, Membership(TenantId("acme"), Role.OWNER), users)

    assert [(m.tenant_id, m.role) for m in view.memberships] == [
        ("acme", Role.OWNER),
        ("globex", Role.CLERK),
    ]
    assert (await users.get(user.user_id)).memberships[0].role is Role.OWNER  # type: ignore[union-attr]


async def test_a_grant_needs_a_registered_tenant_and_user(engine: AsyncEngine) -> None:
    users = SqlAlchemyUserRepository(engine)
    await ann(engine)

    with pytest.raises(MembershipTenantUnknownError):
        await grant_membership(
            EmailAddress("ann@example.org"), Membership(TenantId("initech"), Role.OWNER), users
        )
    with pytest.raises(UnknownUserError):
        await grant_membership(
            EmailAddress("bob@example.org"), Membership(TenantId("acme"), Role.OWNER), users
        )


# --8<-- [start:redeem-race]
async def test_of_two_concurrent_refreshes_with_one_token_only_one_redeems_it(
    engine: AsyncEngine,
) -> None:
    store = SqlAlchemyRefreshTokenStore(engine)
    token = await a_refresh_token(engine, await ann(engine))

    outcomes = await asyncio.gather(store.redeem(token, NOW), store.redeem(token, NOW))

    assert sorted(outcome.value for outcome, _ in outcomes) == ["redeemed", "reused"]


# --8<-- [end:redeem-race]


async def test_an_expired_revoked_or_forged_refresh_token_is_refused(
    engine: AsyncEngine, services: Services
) -> None:
    store = SqlAlchemyRefreshTokenStore(engine)
    user = await ann(engine)
    expired, revoked = await a_refresh_token(engine, user), await a_refresh_token(engine, user)
    await store.revoke_user(user.user_id, NOW)
    forged = SecretToken(f"{expired.selector}.guessed")

    assert (await store.redeem(expired, LATER.now()))[0] is Redemption.REFUSED
    assert (await store.redeem(revoked, NOW))[0] is Redemption.REFUSED
    assert await store.redeem(forged, NOW) == (Redemption.REFUSED, None)
    with pytest.raises(InvalidRefreshTokenError):
        await refresh_session(
            expired.value, store, services.users(), services.access_token_issuer(), LATER
        )


async def test_a_link_token_works_once_for_its_purpose_until_it_expires(
    engine: AsyncEngine,
) -> None:
    store = SqlAlchemyOneTimeTokenStore(engine)
    users = SqlAlchemyUserRepository(engine)
    user = await ann(engine)
    verify, reset = SecretToken.generate(), SecretToken.generate()
    await store.add(Purpose.VERIFY_EMAIL, verify, user.user_id, NOW + timedelta(days=2))
    await store.add(Purpose.RESET_PASSWORD, reset, user.user_id, NOW + timedelta(minutes=30))

    assert await store.redeem(Purpose.RESET_PASSWORD, verify, NOW) is None  # another purpose
    assert (
        await store.redeem(Purpose.VERIFY_EMAIL, SecretToken(f"{verify.selector}.x"), NOW) is None
    )
    with pytest.raises(InvalidLinkTokenError):  # expired
        await reset_password(
            ResetPassword(token=reset.value, new_password=NEW_PASSWORD),
            users=users,
            tokens=store,
            hasher=Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
            refresh_tokens=SqlAlchemyRefreshTokenStore(engine),
            clock=LATER,
        )
    assert (
        await verify_email(VerifyEmail(token=verify.value), users, store, FixedClock(NOW))
    ).email_verified
