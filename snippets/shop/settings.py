"""The shop's configuration: defaults, ``shop.toml``, the environment, ``--set``.

Every setting has a default that works on a laptop, so ``shop serve`` runs with no
configuration at all; production overrides them in a file's profile, with environment
variables (``DATABASE_URL=postgresql+asyncpg://shop:secret@db/shop``) or with options
(:mod:`infrastructure_kernel.configuration` says which wins).
"""

from pathlib import Path
from typing import Annotated, ClassVar, Literal, Self

from pydantic import AfterValidator, AnyHttpUrl, Field, NameEmail, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from catalog.presentation.api.flags import CATALOG_FLAGS
from infrastructure_kernel.configuration import LayeredSettings
from infrastructure_kernel.flags.rules import FlagRule, known_flags
from infrastructure_kernel.http.rate_limit import rate_limit
from infrastructure_kernel.http.response_headers import HSTS_MAX_AGE
from infrastructure_kernel.http.server import HttpLimits

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
Quota = Annotated[str, AfterValidator(rate_limit)]

SHOP_FLAGS = (*CATALOG_FLAGS,)
"""Every feature flag of the shop: the contexts' flags, composed here."""


# --8<-- [start:settings]
class Settings(HttpLimits, LayeredSettings):
    """Validated configuration; a wrong value stops the shop at start-up.

    Field names are the environment variable names, matched case-insensitively and
    without a prefix, so ``DATABASE_URL`` sets :attr:`database_url`; in ``shop.toml``
    and after ``--set`` they are written as they are here. The HTTP server's limits
    (``HTTP_HEADER_TIMEOUT`` and the others) are the kernel's :class:`HttpLimits`.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")
    # --8<-- [start:layers]
    config_file_variable: ClassVar[str] = "SHOP_CONFIG"
    profile_variable: ClassVar[str] = "SHOP_PROFILE"
    default_config_file: ClassVar[str] = "shop.toml"
    secrets_dir_variable: ClassVar[str] = "SHOP_SECRETS_DIR"
    # --8<-- [end:layers]

    # A secret, because server URLs carry passwords: it prints as '**********'.
    database_url: SecretStr = SecretStr("sqlite+aiosqlite:///./shop.db")
    # --8<-- [start:pool-settings]
    # The pool of a server database; SQLite has no server to pool connections to.
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=10, ge=0)
    # Short on purpose: a request that finds every connection busy is told to come
    # back (503 with Retry-After) instead of queueing behind the others (ADR 32).
    database_pool_timeout: float = Field(default=2.0, gt=0, description="Seconds.")
    database_pool_recycle: int = Field(default=1800, gt=0, description="Seconds.")
    database_pool_pre_ping: bool = True
    # --8<-- [end:pool-settings]
    # --8<-- [start:timeout-settings]
    # How long a request waits on the database before it is answered with a 503 (ADR 33).
    database_connect_timeout: float = Field(default=5.0, gt=0, description="Seconds.")
    database_statement_timeout: float = Field(default=5.0, gt=0, description="Seconds.")
    # --8<-- [end:timeout-settings]
    # The broker the relay publishes to and the consumers read from; without one, events
    # travel through the embedded transport's table in the shop's own database.
    amqp_url: SecretStr | None = None
    # When `shop worker` compiles the daily sales report: cron, in UTC (00:05 by default).
    sales_report_schedule: str = Field(
        default="5 0 * * *", pattern=r"^[0-9*,/-]+( [0-9*,/-]+){4}$", description="Cron, UTC."
    )
    # --8<-- [start:cache-settings]
    # The catalog's read cache: in this process unless a Redis URL is given.
    redis_url: SecretStr | None = None
    cache_ttl: float = Field(default=30.0, gt=0, description="Seconds a cached read lives.")
    cache_max_entries: int = Field(default=10_000, ge=1, description="In-process cache only.")
    # --8<-- [end:cache-settings]
    # --8<-- [start:status-settings]
    # Live order status: each subscriber holds a connection, so their number is bounded.
    status_subscribers_per_tenant: int = Field(default=100, ge=1)
    status_subscribers: int = Field(default=1_000, ge=1, description="In this process.")
    status_heartbeat: float = Field(default=15.0, gt=0, description="Seconds of silence.")
    # --8<-- [end:status-settings]
    # --8<-- [start:mail-settings]
    # The customers' e-mails (the notifications.order-emails consumer): from this sender,
    # or a tenant's own, as JSON: {"acme": "Acme Shop <orders@acme.example>"}.
    mail_sender: NameEmail = NameEmail("Shop", "orders@shop.example")
    mail_senders: dict[str, NameEmail] = Field(default_factory=dict)
    # Sent to this SMTP server when one is set; otherwise written as .eml files here.
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_timeout: float = Field(default=10.0, gt=0, description="Seconds per step.")
    smtp_use_tls: bool = Field(default=False, description="TLS from the start (port 465).")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_pickup_directory: Path = Path("mail")
    # --8<-- [end:mail-settings]
    # Requests with a larger body are refused before it is parsed (413).
    max_request_body_size: int = Field(default=64 * 1024, ge=0, description="Bytes.")
    log_level: LogLevel = "INFO"
    # --8<-- [start:address-settings]
    # Where clients reach the service, e.g. https://shop.example: the start of every URL
    # it hands out (Location). Unset, a URL is a path, which clients resolve against the
    # address they called. Never taken from the request's Host header.
    public_base_url: AnyHttpUrl | None = None
    # The hosts served, as JSON: ["shop.example", "*.shop.example"]; others get a 400.
    trusted_hosts: list[str] = Field(default_factory=lambda: ["*"])
    # --8<-- [end:address-settings]
    # --8<-- [start:edge-settings]
    # The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, as JSON:
    # ["10.0.0.0/8"]. None by default: a client's own header is not its address.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Origins whose pages may call the API from a browser, as JSON:
    # ["https://shop.example"]. None by default; "*" for any, never with credentials.
    cors_origins: list[str] = Field(default_factory=list)
    cors_credentials: bool = Field(default=False, description="Cookies; the API needs none.")
    # Strict-Transport-Security on answers served over HTTPS; 0 sends none.
    hsts_max_age: int = Field(default=HSTS_MAX_AGE, ge=0, description="Seconds.")
    # Requests per window, as the limits library reads them ("600/minute"): each client
    # address, each user with a verified token, each tenant such a user names. Meant to
    # stop a runaway client, not to meter a normal one; tune them to your traffic.
    rate_limit_per_address: Quota = "6000/minute"
    rate_limit_per_user: Quota = "3000/minute"
    rate_limit_per_tenant: Quota = "30000/minute"
    # Never counted: the orchestrator's probes and the metrics scrape.
    rate_limit_exempt: list[str] = Field(
        default_factory=lambda: ["/api/v1/health/live", "/api/v1/health/ready", "/metrics"]
    )
    # --8<-- [end:edge-settings]
    # --8<-- [start:flag-settings]
    # Which feature flags are on, and for whom, by flag: a table in shop.toml, JSON in
    # FEATURE_FLAGS or --set, e.g. {"hide-discontinued": {"tenants": ["acme"]}}.
    feature_flags: Annotated[dict[str, FlagRule], AfterValidator(known_flags(SHOP_FLAGS))] = Field(
        default_factory=dict
    )
    # --8<-- [end:flag-settings]
    # --8<-- [start:identity-settings]
    # The key set that signs access tokens: a file where secrets live (a mounted secret),
    # written by `shop keys generate`; its path is masked like a secret. Unset, each
    # process makes a key of its own at start-up, whose tokens die with the process:
    # enough for one process on a laptop, never for several.
    auth_keys_file: SecretStr | None = None
    auth_issuer: str = Field(default="shop", min_length=1, description="The tokens' iss.")
    auth_audience: str = Field(default="shop-api", min_length=1, description="Their aud.")
    # Short: an access token is checked without a round trip, so it cannot be revoked.
    access_token_lifetime: int = Field(default=300, ge=30, le=3600, description="Seconds.")
    refresh_token_lifetime: int = Field(default=14 * 86_400, ge=60, description="Seconds.")
    # Failed logins allowed per account and per client address in a moving window.
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_failure_window: int = Field(default=900, ge=1, description="Seconds.")
    # Argon2id's cost (RFC 9106's second recommendation); raising it rehashes each
    # password at its owner's next login.
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_cost: int = Field(default=65_536, ge=8, description="KiB.")
    password_hash_parallelism: int = Field(default=4, ge=1)
    # Where the verification and reset mails are delivered, as a Maildir.
    mail_dir: Path = Path("mail")
    # An external OpenID Connect provider whose access tokens are accepted instead of
    # the shop's own: its JWK Set URL, issuer and the audience of the shop's tokens.
    oidc_jwks_url: AnyHttpUrl | None = None
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256", "EdDSA"])
    # --8<-- [end:identity-settings]
    # --8<-- [start:payment-settings]
    # The payment provider's API, e.g. https://api.payments.example, with the shop's API
    # key and the secret its webhooks are signed with. Unset, payments answer 503
    # payments-not-configured: no payment starts, and no webhook is believed.
    payment_provider_url: AnyHttpUrl | None = None
    payment_provider_api_key: SecretStr | None = None
    payment_webhook_secret: SecretStr | None = None
    # The secret before the provider rolled it, believed beside the new one until the
    # webhooks signed with it are delivered; then unset.
    payment_webhook_previous_secret: SecretStr | None = None
    # A webhook signed longer ago than this is refused, even with a valid signature.
    payment_webhook_tolerance: int = Field(default=300, ge=1, le=3600, description="Seconds.")
    # Each call to the provider: connecting, then each read, bounded (ADR 80).
    payment_provider_connect_timeout: float = Field(default=3.0, gt=0, description="Seconds.")
    payment_provider_read_timeout: float = Field(default=10.0, gt=0, description="Seconds.")
    payment_provider_attempts: int = Field(default=3, ge=1, le=10, description="Tries in all.")
    payment_provider_backoff: float = Field(default=0.2, gt=0, description="Seconds, doubled.")
    payment_provider_max_backoff: float = Field(default=5.0, gt=0, description="Seconds.")
    # After this many failed calls in a row, calls fail at once for the reset time.
    payment_breaker_failures: int = Field(default=5, ge=1)
    payment_breaker_reset: float = Field(default=30.0, gt=0, description="Seconds.")
    # --8<-- [end:payment-settings]

    @model_validator(mode="after")
    def _no_credentials_for_everyone(self) -> Self:
        """Refuse ``*`` among the CORS origins when credentials are allowed."""
        if self.cors_credentials and "*" in self.cors_origins:
            raise ValueError("cors_origins may not hold '*' while cors_credentials is true")
        return self

    @model_validator(mode="after")
    def _provider_complete(self) -> Self:
        """Refuse a provider without its issuer and audience, or with the shop's issuer."""
        if self.oidc_jwks_url is not None and not (self.oidc_issuer and self.oidc_audience):
            raise ValueError("oidc_jwks_url needs oidc_issuer and oidc_audience")
        if self.oidc_issuer == self.auth_issuer:  # its subjects would pass for user ids
            raise ValueError("oidc_issuer must differ from auth_issuer")
        return self

    @model_validator(mode="after")
    def _payments_complete(self) -> Self:
        """Refuse a payment provider's URL without its API key and webhook secret."""
        if self.payment_provider_url is not None and not (
            self.payment_provider_api_key and self.payment_webhook_secret
        ):
            raise ValueError(
                "payment_provider_url needs payment_provider_api_key and payment_webhook_secret"
            )
        return self


# --8<-- [end:settings]
