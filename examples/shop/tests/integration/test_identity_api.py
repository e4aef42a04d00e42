"""Identity over HTTP: registration, the OAuth2 token endpoint, ``/me`` and the password.

On SQLite and, when ``DATABASE_URL`` is set, on PostgreSQL. The links' tokens are read
from the Maildir they were delivered to, as a user would read them.
"""

import mailbox
import re
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from identity.application.errors import InvalidRefreshTokenError
from identity.application.use_cases.issue_tokens import issue_tokens
from identity.application.use_cases.refresh_session import refresh_session
from identity.domain.entities.user import User
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services
from shop.presentation.api.application import shop_app
from shop.settings import Settings

from .conftest import NOW

pytestmark = pytest.mark.anyio


@pytest.fixture
def client(anonymous: httpx.AsyncClient) -> httpx.AsyncClient:
    """Identity's endpoints are called as whoever has not logged in yet: no token sent."""
    return anonymous


PASSWORD = "correct horse battery"  # noqa: S105 - a test user's
NEW_PASSWORD = "a brand new secret"  # noqa: S105 - the same user's next one
ANN = {"email": "Ann@Example.org", "display_name": "Ann Lee", "password": PASSWORD}
FORM = "application/x-www-form-urlencoded"


def links(settings: Settings, kind: str) -> list[str]:
    """The tokens of the mailed links of ``kind`` (verify-email, reset-password)."""
    tokens = []
    for message in mailbox.Maildir(settings.mail_dir, create=True):
        body = message.get_payload(decode=True)  # quoted-printable undone
        assert isinstance(body, bytes)
        tokens += re.findall(rf"/{kind}#token=(\S+)", body.decode())
    return tokens


async def register(client: httpx.AsyncClient, **changes: str) -> dict[str, Any]:
    response = await client.post("/api/v1/auth/register", json={**ANN, **changes})
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


async def log_in(
    client: httpx.AsyncClient, password: str = PASSWORD, username: str = "ann@example.org"
) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
    )


async def tokens(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await log_in(client)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": token}
    )


# --8<-- [start:register-and-verify]
async def test_a_registered_user_verifies_the_address_with_the_mailed_link(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    user = await register(client)
    [token] = links(settings, "verify-email")

    verified = await client.post("/api/v1/auth/verify-email", json={"token": token})
    again = await client.post("/api/v1/auth/verify-email", json={"token": token})

    assert (user["email"], user["email_verified"]) == ("ann@example.org", False)
    assert "password" not in str(user)
    assert verified.status_code == 200, verified.text
    assert verified.json()["email_verified"] is True
    assert again.status_code == 400  # a link works once
    assert again.json()["type"].endswith("/invalid-link")


# --8<-- [end:register-and-verify]


async def test_an_address_registers_once_in_any_spelling(client: httpx.AsyncClient) -> None:
    await register(client)

    again = await client.post("/api/v1/auth/register", json={**ANN, "email": " ANN@example.org"})

    assert again.status_code == 409
    assert again.json()["type"].endswith("/email-registered")


async def test_a_weak_password_is_refused_by_name(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/auth/register", json={**ANN, "password": "short"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["body", "password"]
    assert "short" not in response.text


# --8<-- [start:login-and-me]
@pytest.mark.usefixtures("acme")
async def test_a_user_logs_in_and_me_says_who_they_are_and_where_they_belong(
    client: httpx.AsyncClient, services: Services
) -> None:
    await register(client)
    await services.users().grant(
        (await services.users().get_by_email(EmailAddress("ann@example.org"))).user_id,  # type: ignore[union-attr]
        Membership(TenantId("acme"), Role.MANAGER),
    )

    login = await log_in(client)
    me = await client.get("/api/v1/me", headers=bearer(login.json()["access_token"]))

    assert login.status_code == 200, login.text
    assert login.headers["Cache-Control"] == "no-store"
    assert set(login.json()) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert (login.json()["token_type"], login.json()["expires_in"]) == ("Bearer", 300)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == "ann@example.org"
    assert me.json()["memberships"] == [{"tenant_id": "acme", "role": "manager"}]


# --8<-- [end:login-and-me]


# --8<-- [start:me-refuses]
@pytest.mark.parametrize(
    ("authorization", "challenge"),
    [
        (None, 'Bearer realm="shop"'),
        ("Basic YW5uOnB3", 'Bearer realm="shop"'),
        ("Bearer not-a-token", 'Bearer realm="shop", error="invalid_token"'),
        ("Bearer " + "e" * 10_000, 'Bearer realm="shop", error="invalid_token"'),
    ],
)
async def test_me_without_a_valid_token_is_a_401_that_says_nothing_more(
    client: httpx.AsyncClient, authorization: str | None, challenge: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    response = await client.get("/api/v1/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == challenge
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["type"], problem["detail"]) == (
        "tag:shop.example,2025:problems/authentication-required",
        "a valid access token is required",
    )


# --8<-- [end:me-refuses]


async def test_a_token_of_a_user_who_is_gone_or_of_no_user_is_refused(
    client: httpx.AsyncClient, services: Services
) -> None:
    issuer = services.access_token_issuer()

    for subject in ["9b2e3b8e-6c52-4d47-9c43-0a0c9b8e1f11", "admin"]:
        response = await client.get("/api/v1/me", headers=bearer(issuer.issue(subject).token))
        assert response.status_code == 401
        assert "invalid_token" in response.headers["WWW-Authenticate"]


# --8<-- [start:refresh-reuse]
async def test_a_refresh_token_reused_after_rotation_revokes_the_whole_family(
    client: httpx.AsyncClient,
) -> None:
    await register(client)
    first = (await tokens(client))["refresh_token"]

    rotated = await refresh(client, first)
    stolen = await refresh(client, first)  # the first token, presented again
    successor = await refresh(client, rotated.json()["refresh_token"])

    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["refresh_token"] != first
    assert (stolen.status_code, stolen.json()["error"]) == (400, "invalid_grant")
    assert (successor.status_code, successor.json()["error"]) == (400, "invalid_grant")


# --8<-- [end:refresh-reuse]


async def test_another_login_is_a_family_of_its_own(client: httpx.AsyncClient) -> None:
    await register(client)
    phone, laptop = await tokens(client), await tokens(client)
    await refresh(client, phone["refresh_token"])
    await refresh(client, phone["refresh_token"])  # reused: the phone's family ends

    assert (await refresh(client, laptop["refresh_token"])).status_code == 200


async def test_logging_out_ends_the_login_and_answers_any_token_alike(
    client: httpx.AsyncClient,
) -> None:
    await register(client)
    login = await tokens(client)

    ended = await client.post("/api/v1/auth/logout", json={"refresh_token": login["refresh_token"]})
    unknown = await client.post("/api/v1/auth/logout", json={"refresh_token": "a.b"})
    junk = await client.post("/api/v1/auth/logout", json={"refresh_token": "no token"})

    assert (ended.status_code, unknown.status_code, junk.status_code) == (204, 204, 204)
    assert (await refresh(client, login["refresh_token"])).status_code == 400


# --8<-- [start:brute-force]
async def test_guessing_a_password_hits_the_throttle_with_a_429_and_retry_after(
    client: httpx.AsyncClient,
) -> None:
    await register(client)

    guesses = [await log_in(client, password=f"guess number {n}") for n in range(5)]
    throttled = await log_in(client)  # even the right password, now

    assert {guess.json()["error"] for guess in guesses} == {"invalid_grant"}
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= 900
    assert throttled.json()["type"].endswith("/too-many-logins")
    assert PASSWORD not in throttled.text


# --8<-- [end:brute-force]


async def test_an_unknown_address_and_a_wrong_password_get_one_answer(
    client: httpx.AsyncClient,
) -> None:
    await register(client)

    unknown = await log_in(client, username="nobody@example.org")
    wrong = await log_in(client, password="not the password")  # noqa: S106 - a wrong guess
    not_an_address = await log_in(client, username="nobody")

    assert unknown.json() == wrong.json() == not_an_address.json()
    assert unknown.json()["error"] == "invalid_grant"


async def test_a_hash_made_with_older_parameters_is_replaced_at_login(
    client: httpx.AsyncClient, services: Services, settings: Settings
) -> None:
    await register(client)
    users = services.users()
    email = EmailAddress("ann@example.org")
    before = (await users.get_by_email(email)).password_hash  # type: ignore[union-attr]
    stronger = Services(
        settings=settings.model_copy(update={"password_hash_time_cost": 2}),
        engine=services.engine,
        clock=services.clock,
    )
    transport = httpx.ASGITransport(app=shop_app(stronger))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as again:
        assert (await log_in(again)).status_code == 200

    after = (await users.get_by_email(email)).password_hash  # type: ignore[union-attr]
    assert "t=1" in before
    assert "t=2" in after


# --8<-- [start:token-endpoint-errors]
@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        ("grant_type=password&username=a%40b.cd&password=x", "application/json", "invalid_request"),
        ("grant_type=password&grant_type=refresh_token", FORM, "invalid_request"),
        ("username=a%40b.cd&password=x", FORM, "invalid_request"),
        ("grant_type=password&username=a%40b.cd", FORM, "invalid_request"),
        ("grant_type=refresh_token", FORM, "invalid_request"),
        ("grant_type=client_credentials", FORM, "unsupported_grant_type"),
        ("grant_type=refresh_token&refresh_token=nonsense", FORM, "invalid_grant"),
        ("grant_type=password&username=a%FF&password=x", FORM, "invalid_request"),
        ("grant_type", FORM, "invalid_request"),
        ("&".join(f"f{n}=x" for n in range(20)), FORM, "invalid_request"),
        ("grant_type=password&username=a%40b.cd&password=" + "x" * 300, FORM, "invalid_grant"),
    ],
)
async def test_the_token_endpoint_answers_bad_requests_as_rfc_6749_says(
    client: httpx.AsyncClient, body: str, content_type: str, error: str
) -> None:
    response = await client.post(
        "/api/v1/auth/token", content=body.encode(), headers={"Content-Type": content_type}
    )

    assert response.status_code == 400
    assert response.json()["error"] == error
    assert set(response.json()) == {"error", "error_description"}
    assert response.headers["Cache-Control"] == "no-store"


# --8<-- [end:token-endpoint-errors]


async def test_a_password_is_changed_with_the_current_one_and_other_logins_end(
    client: httpx.AsyncClient,
) -> None:
    await register(client)
    login = await tokens(client)
    change = {"current_password": "not the password", "new_password": NEW_PASSWORD}

    wrong = await client.post(
        "/api/v1/auth/password", json=change, headers=bearer(login["access_token"])
    )
    changed = await client.post(
        "/api/v1/auth/password",
        json={**change, "current_password": PASSWORD},
        headers=bearer(login["access_token"]),
    )

    assert wrong.status_code == 400
    assert wrong.json()["type"].endswith("/invalid-credentials")
    assert changed.status_code == 204
    assert (await refresh(client, login["refresh_token"])).status_code == 400
    assert (await log_in(client)).status_code == 400
    assert (await log_in(client, password=NEW_PASSWORD)).status_code == 200


async def test_changing_a_password_needs_a_token_of_an_existing_user(
    client: httpx.AsyncClient, services: Services
) -> None:
    change = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    ghost = services.access_token_issuer().issue("9b2e3b8e-6c52-4d47-9c43-0a0c9b8e1f11")

    anonymous = await client.post("/api/v1/auth/password", json=change)
    gone = await client.post("/api/v1/auth/password", json=change, headers=bearer(ghost.token))

    assert (anonymous.status_code, gone.status_code) == (401, 401)


# --8<-- [start:password-reset]
async def test_a_password_is_reset_with_the_mailed_link_once(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await register(client)
    login = await tokens(client)

    unknown = await client.post("/api/v1/auth/password-reset", json={"email": "x@example.org"})
    asked = await client.post("/api/v1/auth/password-reset", json={"email": "ann@example.org"})
    [token] = links(settings, "reset-password")
    new = {"token": token, "new_password": NEW_PASSWORD}
    reset = await client.post("/api/v1/auth/password-reset/confirm", json=new)
    again = await client.post("/api/v1/auth/password-reset/confirm", json=new)

    assert (unknown.status_code, asked.status_code) == (202, 202)
    assert unknown.content == asked.content  # nothing tells who has an account
    assert reset.status_code == 204
    assert again.status_code == 400
    assert (await refresh(client, login["refresh_token"])).status_code == 400
    assert (await log_in(client, password=NEW_PASSWORD)).status_code == 200


# --8<-- [end:password-reset]


async def test_secrets_sent_reach_no_log_line(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    await register(client)
    login = await tokens(client)
    await client.get("/api/v1/me", headers=bearer(login["access_token"] + "x"))
    await refresh(client, login["refresh_token"])

    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert "access_token_refused" in logged
    for secret in (PASSWORD, login["access_token"], login["refresh_token"]):
        assert secret not in logged


# --8<-- [start:memberships-from-login]
@pytest.mark.usefixtures("tenants")
async def test_a_login_acts_for_its_tenants_and_a_grant_counts_from_the_next_refresh(
    client: httpx.AsyncClient, services: Services
) -> None:
    user_id = (await register(client))["user_id"]
    users = services.users()
    await users.grant(UserId.from_subject(user_id), Membership(TenantId("acme"), Role.CLERK))
    login = await tokens(client)
    await users.grant(UserId.from_subject(user_id), Membership(TenantId("globex"), Role.OWNER))

    before = await client.get("/api/v1/orders", headers=bearer(login["access_token"]))
    globex = {"X-Tenant-ID": "globex"}
    not_yet = await client.get(
        "/api/v1/tenant", headers={**globex, **bearer(login["access_token"])}
    )
    refreshed = (await refresh(client, login["refresh_token"])).json()
    after = await client.get(
        "/api/v1/tenant", headers={**globex, **bearer(refreshed["access_token"])}
    )

    assert before.status_code == 200, before.text  # acme, the one tenant in the token
    assert not_yet.status_code == 404  # the token predates the grant
    assert after.json()["tenant_id"] == "globex"


# --8<-- [end:memberships-from-login]


async def test_a_refresh_token_of_a_user_who_is_gone_is_refused(services: Services) -> None:
    class NoUsers:
        async def get(self, _: UserId) -> None:
            return None

    user = User(UserId.new(), EmailAddress("gone@example.org"), DisplayName("Gone"), "h", NOW)
    await services.users().add(user)
    issuer = services.access_token_issuer()
    login = await issue_tokens(
        user, uuid4(), NOW + timedelta(days=1), services.refresh_tokens(), issuer
    )

    with pytest.raises(InvalidRefreshTokenError):
        await refresh_session(
            login.refresh_token,
            services.refresh_tokens(),
            NoUsers(),  # type: ignore[arg-type]
            issuer,
            services.clock,
        )
