"""``/auth``: the OAuth2 token endpoint, and the endpoints of an account's life.

The token endpoint speaks OAuth2 (RFC 6749) so that any OAuth2 client can log in: a
form-encoded body, the ``password`` and ``refresh_token`` grants, a token response
that no cache keeps, and the errors RFC 6749 defines, as the JSON it prescribes. The
other endpoints, and a throttled login, answer with the catalogue's problem documents.
"""

from http import HTTPStatus
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from identity.application.dto.session_views import TokenResponse
from identity.application.dto.user_commands import (
    ChangePassword,
    RegisterUser,
    RequestPasswordReset,
    ResetPassword,
    VerifyEmail,
)
from identity.application.dto.user_views import UserView
from identity.application.errors import (
    InvalidCredentialsError,
    InvalidRefreshTokenError,
    LoginThrottledError,
)
from identity.application.use_cases.authenticate_user import authenticate_user
from identity.application.use_cases.change_password import change_password
from identity.application.use_cases.end_session import end_session
from identity.application.use_cases.refresh_session import refresh_session
from identity.application.use_cases.register_user import register_user
from identity.application.use_cases.request_password_reset import request_password_reset
from identity.application.use_cases.reset_password import reset_password
from identity.application.use_cases.verify_email import verify_email
from identity.domain.errors import UnknownUserError
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.password import NewPassword
from identity.domain.value_objects.secret_token import SecretToken
from identity.presentation.api.caller import caller_user_id
from identity.presentation.api.dependencies import (
    AuthenticationRequiredError,
    ClaimsDep,
    IdentityServices,
    ServicesDep,
)
from shared_kernel.errors import InvalidValueError

router = APIRouter(prefix="/auth", tags=["identity"])

FORM = "application/x-www-form-urlencoded"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749, 5.1
MAX_FIELDS = 8


class TooManyLoginsError(Exception):
    """A login refused by the throttle: a 429 with ``Retry-After``."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed logins; try again later")
        self.headers = {"Retry-After": str(retry_after)}


class OAuthError(BaseModel):
    """An error of the token endpoint, as RFC 6749 (5.2) defines it."""

    error: str = Field(description="invalid_request, invalid_grant or unsupported_grant_type.")
    error_description: str


# --8<-- [start:oauth-error]
def oauth_error(error: str, description: str) -> JSONResponse:
    """An RFC 6749 error response: 400, and JSON with ``error`` and its description."""
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=HTTPStatus.BAD_REQUEST,
        headers=NO_STORE,
    )


def token_form(content_type: str | None, body: bytes) -> dict[str, str] | JSONResponse:
    """The token request's parameters, or the RFC 6749 error that refuses them.

    RFC 6749 asks for a form (4.3.2) in which no parameter is sent twice (3.2); a
    percent-encoded byte sequence that is not UTF-8 is refused, not guessed at.
    """
    if (content_type or "").partition(";")[0].strip().lower() != FORM:
        return oauth_error("invalid_request", f"the body is sent as {FORM}")
    try:
        pairs = parse_qsl(
            body.decode("ascii"), strict_parsing=True, errors="strict", max_num_fields=MAX_FIELDS
        )
    except ValueError:  # not ASCII, not UTF-8 once decoded, too many fields, not a form
        return oauth_error("invalid_request", "the body is not a form of this endpoint")
    form = dict(pairs)
    if len(form) != len(pairs):
        return oauth_error("invalid_request", "a parameter is sent at most once")
    return form


# --8<-- [end:oauth-error]

TOKEN_REQUEST = {
    "requestBody": {
        "required": True,
        "content": {
            FORM: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["password", "refresh_token"]},
                        "username": {"type": "string", "description": "The e-mail address."},
                        "password": {"type": "string", "format": "password"},
                        "refresh_token": {"type": "string"},
                        "scope": {"type": "string", "description": "Ignored."},
                    },
                }
            }
        },
    }
}


# --8<-- [start:token-endpoint]
@router.post(
    "/token",
    response_model=TokenResponse,
    responses={400: {"model": OAuthError, "description": "An RFC 6749 error."}},
    openapi_extra=TOKEN_REQUEST,
)
async def issue_token(request: Request, services: ServicesDep) -> Response:
    """Log in with a password, or refresh: the OAuth2 token endpoint (RFC 6749, 4.3 and 6).

    A refused grant is ``invalid_grant``, whatever was wrong with it; a throttled
    login is a 429 problem document with ``Retry-After``.
    """
    form = token_form(request.headers.get("content-type"), await request.body())
    if isinstance(form, JSONResponse):
        return form
    grant = form.get("grant_type")
    try:
        if grant == "password":
            tokens = await _password_grant(services, form, request)
        elif grant == "refresh_token":
            tokens = await _refresh_grant(services, form)
        elif grant is None:
            return oauth_error("invalid_request", "grant_type is required")
        else:
            return oauth_error(
                "unsupported_grant_type", "the grants are password and refresh_token"
            )
    except (InvalidCredentialsError, InvalidRefreshTokenError, InvalidValueError) as error:
        return oauth_error("invalid_grant", str(error))
    except _MissingParameterError as error:
        return oauth_error("invalid_request", str(error))
    except LoginThrottledError as error:
        raise TooManyLoginsError(error.retry_after) from error
    return JSONResponse(tokens.model_dump(), headers=NO_STORE)


# --8<-- [end:token-endpoint]


class _MissingParameterError(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is required")


def _parameter(form: dict[str, str], name: str, max_length: int) -> str:
    value = form.get(name)
    if not value:
        raise _MissingParameterError(name)
    if len(value) > max_length:  # longer than any account's: hashing it would be wasted
        raise InvalidCredentialsError
    return value


async def _password_grant(
    services: IdentityServices, form: dict[str, str], request: Request
) -> TokenResponse:
    return await authenticate_user(
        _parameter(form, "username", EmailAddress.MAX_LENGTH),
        _parameter(form, "password", NewPassword.MAX_LENGTH),
        request.client.host if request.client else "unknown",
        users=services.users(),
        hasher=services.password_hasher(),
        throttle=services.login_throttle,
        refresh_tokens=services.refresh_tokens(),
        issuer=services.access_token_issuer(),
        clock=services.clock,
        lifetimes=services.token_lifetimes(),
    )


async def _refresh_grant(services: IdentityServices, form: dict[str, str]) -> TokenResponse:
    token = _parameter(form, "refresh_token", SecretToken.MAX_LENGTH)
    return await refresh_session(
        token,
        services.refresh_tokens(),
        services.users(),
        services.access_token_issuer(),
        services.clock,
    )


class EndSession(BaseModel):
    """The refresh token of the login to end."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    refresh_token: str = Field(max_length=SecretToken.MAX_LENGTH)


@router.post("/logout", status_code=HTTPStatus.NO_CONTENT)
async def log_out(body: EndSession, services: ServicesDep) -> None:
    """End the login the refresh token belongs to, on every device it was refreshed on.

    Answered 204 for any token, valid or not: the caller wants it to stop working.
    """
    try:
        await end_session(body.refresh_token, services.refresh_tokens(), services.clock)
    except InvalidValueError:
        return  # not a token at all: nothing to end


@router.post("/register", status_code=HTTPStatus.CREATED)
async def register(body: RegisterUser, services: ServicesDep) -> UserView:
    """Open an account; a link to verify the address is mailed to it."""
    return await register_user(
        body,
        users=services.users(),
        hasher=services.password_hasher(),
        tokens=services.one_time_tokens(),
        mail=services.account_mail(),
        clock=services.clock,
        lifetimes=services.token_lifetimes(),
    )


@router.post("/verify-email")
async def confirm_email(body: VerifyEmail, services: ServicesDep) -> UserView:
    """Verify the address with the token of the mailed link."""
    return await verify_email(body, services.users(), services.one_time_tokens(), services.clock)


@router.post("/password", status_code=HTTPStatus.NO_CONTENT)
async def set_password(body: ChangePassword, claims: ClaimsDep, services: ServicesDep) -> None:
    """Change the caller's password; the caller's other logins end."""
    user_id = await caller_user_id(claims, services)
    try:
        await change_password(
            user_id,
            body,
            users=services.users(),
            hasher=services.password_hasher(),
            refresh_tokens=services.refresh_tokens(),
            clock=services.clock,
        )
    except UnknownUserError as error:  # no such user (any longer)
        raise AuthenticationRequiredError(token_sent=True) from error


@router.post("/password-reset", status_code=HTTPStatus.ACCEPTED)
async def forgot_password(body: RequestPasswordReset, services: ServicesDep) -> None:
    """Mail a reset link, if the address has an account; the answer is the same either way."""
    await request_password_reset(
        body,
        users=services.users(),
        tokens=services.one_time_tokens(),
        mail=services.account_mail(),
        clock=services.clock,
        lifetimes=services.token_lifetimes(),
    )


@router.post("/password-reset/confirm", status_code=HTTPStatus.NO_CONTENT)
async def confirm_reset(body: ResetPassword, services: ServicesDep) -> None:
    """Set a new password with the token of the mailed link; every login ends."""
    await reset_password(
        body,
        users=services.users(),
        tokens=services.one_time_tokens(),
        hasher=services.password_hasher(),
        refresh_tokens=services.refresh_tokens(),
        clock=services.clock,
    )
