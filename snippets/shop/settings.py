"""The shop's configuration: defaults, ``shop.toml``, the environment, ``--set``.

Every setting has a default that works on a laptop, so ``shop serve`` runs with no
configuration at all; production overrides them in a file's profile, with environment
variables (``DATABASE_URL=postgresql+asyncpg://shop:secret@db/shop``) or with options
(:mod:`infrastructure_kernel.configuration` says which wins).
"""

from typing import ClassVar, Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from infrastructure_kernel.configuration import LayeredSettings

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


# --8<-- [start:settings]
class Settings(LayeredSettings):
    """Validated configuration; a wrong value stops the shop at start-up.

    Field names are the environment variable names, matched case-insensitively and
    without a prefix, so ``DATABASE_URL`` sets :attr:`database_url`; in ``shop.toml``
    and after ``--set`` they are written as they are here.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")
    # --8<-- [start:layers]
    config_file_variable: ClassVar[str] = "SHOP_CONFIG"
    profile_variable: ClassVar[str] = "SHOP_PROFILE"
    default_config_file: ClassVar[str] = "shop.toml"
    # --8<-- [end:layers]

    # A secret, because server URLs carry passwords: it prints as '**********'.
    database_url: SecretStr = SecretStr("sqlite+aiosqlite:///./shop.db")
    # --8<-- [start:pool-settings]
    # The pool of a server database; SQLite has no server to pool connections to.
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    database_pool_timeout: float = Field(default=30.0, gt=0, description="Seconds.")
    database_pool_recycle: int = Field(default=1800, gt=0, description="Seconds.")
    database_pool_pre_ping: bool = True
    # --8<-- [end:pool-settings]
    # Requests with a larger body are refused before it is parsed (413).
    max_request_body_size: int = Field(default=64 * 1024, ge=0, description="Bytes.")
    log_level: LogLevel = "INFO"


# --8<-- [end:settings]
