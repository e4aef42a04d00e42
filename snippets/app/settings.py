"""The service's configuration, read from the environment (and a ``.env`` file).

Every setting has a default that works on a laptop, so ``app serve`` runs with no
configuration at all; production overrides them with environment variables, e.g.
``DATABASE_URL=postgresql+asyncpg://user:secret@db/customers``.
"""

from pydantic import AnyHttpUrl, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from infrastructure_kernel.http.server import HttpLimits


# --8<-- [start:settings]
class Settings(HttpLimits, BaseSettings):
    """Validated configuration; a wrong value stops the service at start-up.

    Field names are the environment variable names, matched case-insensitively and
    without a prefix, so ``DATABASE_URL`` sets :attr:`database_url`. The HTTP server's
    limits (``HTTP_HEADER_TIMEOUT`` and the others) are the kernel's :class:`HttpLimits`.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # A secret, because server URLs carry passwords: it prints as '**********'.
    database_url: SecretStr = SecretStr("sqlite+aiosqlite:///./app.db")
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    # Short: a request that finds every connection busy gets a 503 with Retry-After
    # at once rather than a long wait (ADR 32).
    database_pool_timeout: float = Field(default=2.0, gt=0, description="Seconds.")
    # How long a request waits on the database before it is answered with a 503 (ADR 33).
    database_connect_timeout: float = Field(default=5.0, gt=0, description="Seconds.")
    database_statement_timeout: float = Field(default=5.0, gt=0, description="Seconds.")
    # Requests with a larger body are refused before it is parsed (413).
    max_request_body_size: int = Field(default=64 * 1024, ge=0, description="Bytes.")
    # The start of every URL the service hands out; unset, a URL is a path. Never Host.
    public_base_url: AnyHttpUrl | None = None
    trusted_hosts: list[str] = ["*"]  # others get a 400; JSON in the environment


# --8<-- [end:settings]
