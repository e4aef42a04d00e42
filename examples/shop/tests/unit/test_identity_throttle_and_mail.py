"""The login throttle on the limits library, and the Maildir that carries the links."""

import mailbox
from pathlib import Path

import pytest

from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.secret_token import SecretToken
from identity.infrastructure.cache.login_throttle import LimitsLoginThrottle
from identity.infrastructure.messaging.maildir import MaildirAccountMail

pytestmark = pytest.mark.anyio

ANN = ["account:ann@example.org", "address:192.0.2.1"]


async def test_an_account_is_blocked_after_its_failures_until_the_window_moves() -> None:
    throttle = LimitsLoginThrottle(per_account=3, per_address=10, window=60)

    for _ in range(3):
        assert await throttle.retry_after(ANN) is None
        await throttle.failed(ANN)
    wait = await throttle.retry_after(ANN)

    assert wait is not None
    assert 1 <= wait <= 60
    assert await throttle.retry_after(["account:bob@example.org", "address:192.0.2.2"]) is None


async def test_an_address_trying_many_accounts_is_blocked_too() -> None:
    throttle = LimitsLoginThrottle(per_account=3, per_address=4, window=60)

    for number in range(4):
        await throttle.failed([f"account:user{number}@example.org", "address:192.0.2.9"])

    assert await throttle.retry_after(["account:new@example.org", "address:192.0.2.9"])
    assert await throttle.retry_after(["account:new@example.org", "address:192.0.2.8"]) is None


async def test_a_successful_login_clears_the_accounts_failures() -> None:
    throttle = LimitsLoginThrottle(per_account=2, per_address=10, window=60)
    await throttle.failed(ANN)

    await throttle.succeeded(ANN[0])
    await throttle.failed(ANN)

    assert await throttle.retry_after(ANN) is None


def body(message: mailbox.MaildirMessage) -> str:
    """The text of a mail, its transfer encoding (quoted-printable) undone."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def test_a_link_is_delivered_as_a_mail_into_the_maildir(tmp_path: Path) -> None:
    mail = MaildirAccountMail(tmp_path / "mail", "https://shop.example/")
    token = SecretToken.generate()

    await mail.send_verification(EmailAddress("ann@example.org"), token)
    await mail.send_password_reset(EmailAddress("ann@example.org"), token)

    messages = sorted(mailbox.Maildir(tmp_path / "mail"), key=lambda m: str(m["Subject"]))
    assert [(m["To"], m["Subject"]) for m in messages] == [
        ("ann@example.org", "Confirm your e-mail address"),
        ("ann@example.org", "Reset your password"),
    ]
    bodies = [body(message) for message in messages]
    assert f"https://shop.example/verify-email#token={token.value}" in bodies[0]
    assert f"https://shop.example/reset-password#token={token.value}" in bodies[1]
