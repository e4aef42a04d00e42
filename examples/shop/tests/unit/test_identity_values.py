"""Identity's values: addresses, names, passwords, secret tokens and the user."""

import hmac
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from identity.domain.entities.user import User
from identity.domain.value_objects.display_name import DisplayName
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.password import NewPassword
from identity.domain.value_objects.secret_token import SecretToken
from identity.domain.value_objects.user_id import UserId
from shared_kernel.errors import InvalidValueError

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


def test_an_address_is_trimmed_and_lower_case_so_one_spelling_is_one_account() -> None:
    assert EmailAddress("  Ann.Lee@Example.ORG ") == EmailAddress("ann.lee@example.org")


@pytest.mark.parametrize(
    "address",
    ["", "ann", "ann@", "@example.org", "ann@example", "ann@.", "a b@example.org", "x\x00@a.b"],
)
def test_what_is_not_shaped_local_at_domain_is_refused(address: str) -> None:
    with pytest.raises(InvalidValueError):
        EmailAddress(address)


def test_an_address_longer_than_smtp_carries_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="at most 254"):
        EmailAddress("a" * 250 + "@b.cd")


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "line\nbreak"])
def test_a_display_name_is_one_line_of_1_to_100_characters(name: str) -> None:
    with pytest.raises(InvalidValueError):
        DisplayName(name)


@pytest.mark.parametrize("password", ["short", "x" * 257, "twelve chars\x00long"])
def test_a_password_has_12_to_256_characters_of_one_line(password: str) -> None:
    with pytest.raises(InvalidValueError):
        NewPassword(password)


def test_a_password_and_a_token_never_show_in_their_repr() -> None:
    password, token = NewPassword("correct horse battery"), SecretToken.generate()

    assert "horse" not in repr(password)
    assert token.value not in repr(token)
    assert token.selector not in repr(token)


def test_a_token_has_a_selector_and_a_secret_half_of_which_only_a_digest_is_kept() -> None:
    token = SecretToken.generate()
    selector, _, verifier = token.value.partition(".")

    assert token.selector == selector
    assert len(token.digest()) == 64
    assert verifier not in token.digest()
    assert token.matches(token.digest())
    assert not token.matches(SecretToken(f"{selector}.other").digest())
    assert SecretToken.generate().selector != selector


@pytest.mark.parametrize("value", ["", "nodot", ".x", "x.", "é.x", "a." + "x" * 127])
def test_what_cannot_be_a_token_is_refused_before_any_lookup(value: str) -> None:
    with pytest.raises(InvalidValueError, match="not a token"):
        SecretToken(value)


def test_a_token_is_compared_with_its_digest_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared: list[tuple[str, str]] = []
    constant_time = hmac.compare_digest

    def recording(a: str, b: str) -> bool:
        compared.append((a, b))
        return constant_time(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    token = SecretToken.generate()

    assert token.matches(token.digest())
    assert compared == [(token.digest(), token.digest())]


def test_the_first_proof_of_an_address_counts() -> None:
    user = User(UserId.new(), EmailAddress("a@b.cd"), DisplayName("Ann"), "hash", created_at=NOW)
    assert not user.email_verified

    user.verify_email(NOW)
    user.verify_email(datetime(2026, 1, 1, tzinfo=UTC))

    assert (user.email_verified, user.email_verified_at) == (True, NOW)
    assert "hash" not in repr(user)


def test_a_subject_that_is_no_uuid_is_no_user_id() -> None:
    user_id = uuid4()

    assert UserId.from_subject(str(user_id)) == UserId(user_id)
    with pytest.raises(InvalidValueError):
        UserId.from_subject("admin")
