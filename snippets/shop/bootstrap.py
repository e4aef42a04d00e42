"""The composition root: the one place that chooses the adapters behind the ports.

Everything else receives its collaborators; only this module (and tests, which build
:class:`Services` with their own engine and clock) decides which ones exist.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import httpx
from limits.aio.storage import RedisStorage
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Tracer
from pydantic import NameEmail
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from audit.application.interfaces.audit_entry_queries import AuditEntryQueries
from audit.application.interfaces.audit_log import AuditLog
from audit.infrastructure.database.audit_entry_queries import SqlAlchemyAuditEntryQueries
from audit.infrastructure.database.audit_log import SqlAlchemyAuditLog
from audit.infrastructure.messaging.audit_trail import append_to_trail
from catalog.application.interfaces.product_queries import ProductQueries
from catalog.application.interfaces.read_cache import ReadCache
from catalog.application.interfaces.unit_of_work import CatalogUnitOfWork
from catalog.application.use_cases.invalidate_product_reads import invalidate_product_reads
from catalog.domain.events.product_events import (
    ProductAdded,
    ProductDiscontinued,
    ProductRepriced,
)
from catalog.infrastructure.cache.cached_product_queries import CachedProductQueries
from catalog.infrastructure.cache.in_process import InProcessReadCache
from catalog.infrastructure.cache.invalidation import AfterCommitCatalogUnitOfWork
from catalog.infrastructure.cache.redis_cache import RedisReadCache, redis_client
from catalog.infrastructure.database.product_queries import SqlAlchemyProductQueries
from catalog.infrastructure.database.unit_of_work import SqlAlchemyCatalogUnitOfWork
from catalog.infrastructure.messaging.cache_invalidation import (
    CACHE_INVALIDATION,
    cache_invalidation,
)
from catalog.infrastructure.messaging.units_sold import count_units_sold
from identity.application.interfaces.access_tokens import (
    AccessTokenIssuer,
    AccessTokenVerifier,
)
from identity.application.interfaces.account_mail import AccountMail
from identity.application.interfaces.identity_links import IdentityLinks
from identity.application.interfaces.lifetimes import TokenLifetimes
from identity.application.interfaces.login_throttle import LoginThrottle
from identity.application.interfaces.one_time_token_store import OneTimeTokenStore
from identity.application.interfaces.password_hasher import PasswordHasher
from identity.application.interfaces.refresh_token_store import RefreshTokenStore
from identity.domain.repositories.user_repository import UserRepository
from identity.infrastructure.cache.login_throttle import LimitsLoginThrottle
from identity.infrastructure.database.identity_links import SqlAlchemyIdentityLinks
from identity.infrastructure.database.one_time_token_store import SqlAlchemyOneTimeTokenStore
from identity.infrastructure.database.refresh_token_store import SqlAlchemyRefreshTokenStore
from identity.infrastructure.database.user_repository import SqlAlchemyUserRepository
from identity.infrastructure.messaging.maildir import MaildirAccountMail
from identity.infrastructure.security.argon2_hasher import Argon2PasswordHasher
from identity.infrastructure.security.jwks_verifier import JwksTokenVerifier
from identity.infrastructure.security.jwt_access_tokens import JwtAccessTokens
from identity.infrastructure.security.signing_keys import KeySet, SigningKey, load_key_set
from infrastructure_kernel.http.rate_limit import RateLimiter
from infrastructure_kernel.messaging.consumer import Consumer, ConsumerRuntime
from infrastructure_kernel.messaging.embedded import EmbeddedTransport
from infrastructure_kernel.messaging.rabbitmq import RabbitMqTransport
from infrastructure_kernel.messaging.relay import OutboxRelay
from infrastructure_kernel.messaging.transport import Transport
from infrastructure_kernel.tracing import trace_engine, tracer_provider_from_environment
from notifications.application.interfaces.mailer import Mailer
from notifications.infrastructure.external.pickup_directory import PickupDirectoryMailer
from notifications.infrastructure.external.smtp_server import SmtpMailer
from notifications.infrastructure.messaging.order_emails import OrderEmails
from ordering.application.interfaces.order_queries import OrderQueries
from ordering.application.interfaces.order_status_feed import OrderStatusFeed
from ordering.application.interfaces.sales_reports import SalesReports
from ordering.application.interfaces.unit_of_work import OrderingUnitOfWork
from ordering.application.use_cases.publish_status_changes import publish_status_changes
from ordering.domain.events.order_events import (
    OrderCancelled,
    OrderPaid,
    OrderPlaced,
    OrderShipped,
)
from ordering.infrastructure.database.after_commit import AfterCommitOrderingUnitOfWork
from ordering.infrastructure.database.order_queries import SqlAlchemyOrderQueries
from ordering.infrastructure.database.sales_reports import SqlAlchemySalesReports
from ordering.infrastructure.database.unit_of_work import SqlAlchemyOrderingUnitOfWork
from ordering.infrastructure.external.product_catalog import InProcessProductCatalog
from ordering.infrastructure.external.status_feed import InProcessOrderStatusFeed
from ordering.infrastructure.messaging.status_changes import status_changes
from payments.application.interfaces.order_payments import OrderPayments
from payments.application.interfaces.payment_provider import PaymentProvider
from payments.application.interfaces.webhook_verifier import WebhookVerifier
from payments.domain.repositories.payment_repository import PaymentRepository
from payments.infrastructure.database.payment_repository import SqlAlchemyPaymentRepository
from payments.infrastructure.external.ordering import InProcessOrderPayments
from payments.infrastructure.external.provider_api import HttpPaymentProvider
from payments.infrastructure.external.resilience import (
    CircuitBreaker,
    ResilientSender,
    RetryPolicy,
)
from payments.infrastructure.security.hmac_webhooks import HmacWebhookVerifier
from shared_kernel.clock import Clock, SystemClock
from shared_kernel.events import DomainEvent
from shared_kernel.tenancy import TenantId
from shop.infrastructure.database.engine import create_engine
from shop.infrastructure.database.idempotency import SqlAlchemyIdempotencyStore
from shop.infrastructure.database.outbox import write_events
from shop.infrastructure.database.tables import inbox, messages, outbox
from shop.settings import Settings
from tenancy.application.interfaces.tenant_directory import TenantDirectory
from tenancy.infrastructure.cache.tenant_directory import CachedTenantDirectory
from tenancy.infrastructure.database.tenant_directory import SqlAlchemyTenantDirectory


def process_key_set() -> KeySet:
    """A key set made for this process alone, when no key set file is configured."""
    return KeySet((SigningKey.generate(datetime.now(UTC)),))


RATE_POLICIES = ("address", "user", "tenant")
"""The rate limit's policies; each has its quota in ``rate_limit_per_{policy}``."""


def default_rate_limiter() -> RateLimiter:
    """The rate limiter at the default quotas, in this process's memory: for tests."""
    fields = Settings.model_fields
    return RateLimiter({name: fields[f"rate_limit_per_{name}"].default for name in RATE_POLICIES})


# --8<-- [start:bootstrap]
@dataclass(frozen=True)
class Services:
    """The long-lived objects of one running shop.

    The contexts' unit-of-work and query factories join as methods that take a
    :class:`~shared_kernel.tenancy.TenantId`, so that everything a request or command
    touches is bound to one tenant when it is made.

    Attributes:
        settings: The configuration the services were built from.
        engine: The database engine with its connection pool; dispose it on shutdown.
        clock: Where use cases get the time.
        read_cache: Where the catalog's reads are cached; close it on shutdown.
        status_feed: Where committed status changes of orders reach their subscribers.
        tracer_provider: Where spans go when tracing is on; ``None`` when it is off.
        signing_keys: The keys that sign and verify access tokens.
        login_throttle: Counts failed logins, for every request of the process.
        external_tokens: The verifier of an external identity provider's tokens, which
            replaces the shop's own; ``None`` when the shop issues its own.
        rate_limiter: Counts every client's requests, for every request of the process.
        provider_client: The HTTP client of the payment provider's API, when one is
            configured; its pool and its circuit breaker serve every request.
    """

    settings: Settings
    engine: AsyncEngine
    clock: Clock
    read_cache: ReadCache = field(default_factory=InProcessReadCache)
    status_feed: OrderStatusFeed = field(default_factory=InProcessOrderStatusFeed)
    tracer_provider: TracerProvider | None = None
    signing_keys: KeySet = field(default_factory=process_key_set)
    login_throttle: LoginThrottle = field(default_factory=LimitsLoginThrottle)
    external_tokens: AccessTokenVerifier | None = None
    rate_limiter: RateLimiter = field(default_factory=default_rate_limiter)
    provider_client: httpx.AsyncClient | None = None

    # --8<-- [start:tenant-directory]
    def tenant_directory(self) -> TenantDirectory:
        """The registered tenants; those found once are resolved from memory (ADR 70)."""
        return self._tenants

    @cached_property
    def _tenants(self) -> CachedTenantDirectory:
        # One per process, made on first use: what it remembers lives as long as it does.
        return CachedTenantDirectory(SqlAlchemyTenantDirectory(self.engine))

    # --8<-- [end:tenant-directory]

    # --8<-- [start:catalog-factories]
    def catalog_unit_of_work(self, tenant_id: TenantId) -> CatalogUnitOfWork:
        """A fresh unit of work over ``tenant_id``'s catalog.

        Its events go to the outbox, and once committed they invalidate the cached reads
        they made stale.
        """
        return AfterCommitCatalogUnitOfWork(
            lambda write: SqlAlchemyCatalogUnitOfWork(self.engine, tenant_id, write),
            write_events,
            partial(invalidate_product_reads, self.read_cache),
        )

    def product_queries(self, tenant_id: TenantId) -> ProductQueries:
        """The reads of ``tenant_id``'s products, through the read cache."""
        queries = SqlAlchemyProductQueries(self.engine, tenant_id)
        return CachedProductQueries(queries, self.read_cache, tenant_id)

    # --8<-- [end:catalog-factories]

    # --8<-- [start:ordering-factories]
    def ordering_unit_of_work(self, tenant_id: TenantId) -> OrderingUnitOfWork:
        """A fresh unit of work over ``tenant_id``'s orders and idempotency keys.

        The platform's tables stay the platform's: the unit of work is handed the
        outbox writer and a maker of idempotency stores instead of their tables, and the
        catalog's queries on its own connection for the prices. Once committed, its
        status changes reach the order's subscribers.
        """
        return AfterCommitOrderingUnitOfWork(
            lambda write: SqlAlchemyOrderingUnitOfWork(
                self.engine,
                tenant_id,
                write_events=write,
                idempotency_store=lambda connection, tenant: SqlAlchemyIdempotencyStore(
                    connection, tenant, self.clock
                ),
                # Prices read on the order's own connection: uncached, as committed.
                product_catalog=lambda connection, tenant: InProcessProductCatalog(
                    SqlAlchemyProductQueries(connection, tenant)
                ),
            ),
            write_events,
            partial(publish_status_changes, self.status_feed),
        )

    def order_queries(self, tenant_id: TenantId) -> OrderQueries:
        """The reads of ``tenant_id``'s orders."""
        return SqlAlchemyOrderQueries(self.engine, tenant_id)

    def sales_reports(self, tenant_id: TenantId) -> SalesReports:
        """``tenant_id``'s daily sales reports, which the ``shop worker`` job compiles."""
        return SqlAlchemySalesReports(self.engine, tenant_id)

    def order_status_feed(self) -> OrderStatusFeed:
        """The committed status changes of this process's orders."""
        return self.status_feed

    # --8<-- [end:ordering-factories]

    def audit_entry_queries(self, tenant_id: TenantId) -> AuditEntryQueries:
        """The reads of ``tenant_id``'s audit trail."""
        return SqlAlchemyAuditEntryQueries(self.engine, tenant_id)

    def audit_log(self) -> AuditLog:
        """Every tenant's audit chain, for ``shop audit verify``."""
        return SqlAlchemyAuditLog(self.engine)

    # --8<-- [start:mailer]
    def mailer(self) -> Mailer:
        """The SMTP server when ``SMTP_HOST`` is set, else the pickup directory."""
        s = self.settings
        if s.smtp_host is None:
            return PickupDirectoryMailer(s.mail_pickup_directory)
        return SmtpMailer(
            s.smtp_host,
            s.smtp_port,
            s.smtp_timeout,
            use_tls=s.smtp_use_tls,
            username=s.smtp_username,
            password=None if s.smtp_password is None else s.smtp_password.get_secret_value(),
        )

    def order_emails(self) -> OrderEmails:
        """The order e-mails' handlers, with the mailer and the senders of the settings."""
        senders = self.settings.mail_senders
        return OrderEmails(
            self.mailer(),
            _address(self.settings.mail_sender),
            {tenant: _address(sender) for tenant, sender in senders.items()},
        )

    # --8<-- [end:mailer]

    def consumer(self, name: str) -> Consumer:
        """The consumer ``name`` of :data:`CONSUMERS`, made with these services."""
        return CONSUMERS[name](self)

    # --8<-- [start:identity-factories]
    def users(self) -> UserRepository:
        """The registered users."""
        return SqlAlchemyUserRepository(self.engine)

    def refresh_tokens(self) -> RefreshTokenStore:
        """The refresh tokens issued."""
        return SqlAlchemyRefreshTokenStore(self.engine)

    def one_time_tokens(self) -> OneTimeTokenStore:
        """The tokens of verification and reset mails."""
        return SqlAlchemyOneTimeTokenStore(self.engine)

    def access_token_issuer(self) -> AccessTokenIssuer:
        """Signs the shop's access tokens with the current key."""
        return self._jwt()

    def access_token_verifier(self) -> AccessTokenVerifier:
        """The external provider's verifier when one is configured, else the shop's own."""
        return self.external_tokens or self._jwt()

    def token_issuer(self) -> str:
        """The ``iss`` of the shop's own tokens, from the settings."""
        return self.settings.auth_issuer

    def public_key_set(self) -> dict[str, Any]:
        """The public halves of every key of the set, the next and the retiring ones included."""
        return self.signing_keys.public_jwks()

    def identity_links(self) -> IdentityLinks:
        """The links of external identities to the shop's users."""
        return SqlAlchemyIdentityLinks(self.engine, self.clock)

    def password_hasher(self) -> PasswordHasher:
        """Argon2id, at the configured cost."""
        return Argon2PasswordHasher(
            time_cost=self.settings.password_hash_time_cost,
            memory_cost=self.settings.password_hash_memory_cost,
            parallelism=self.settings.password_hash_parallelism,
        )

    def account_mail(self) -> AccountMail:
        """The Maildir the mails are delivered to, with links to the public address."""
        base_url = str(self.settings.public_base_url or "http://127.0.0.1:8000")
        return MaildirAccountMail(self.settings.mail_dir, base_url)

    def token_lifetimes(self) -> TokenLifetimes:
        """The configured lifetimes of access tokens and logins; the links' are the defaults."""
        return TokenLifetimes(
            access=timedelta(seconds=self.settings.access_token_lifetime),
            refresh=timedelta(seconds=self.settings.refresh_token_lifetime),
        )

    def _jwt(self) -> JwtAccessTokens:
        return JwtAccessTokens(
            self.signing_keys,
            issuer=self.settings.auth_issuer,
            audience=self.settings.auth_audience,
            lifetime=self.token_lifetimes().access,
        )

    # --8<-- [end:identity-factories]

    # --8<-- [start:payments-factories]
    def payment_repository(self) -> PaymentRepository:
        """Every tenant's payments."""
        return SqlAlchemyPaymentRepository(self.engine, self.clock)

    def order_payments(self, tenant_id: TenantId) -> OrderPayments:
        """``tenant_id``'s orders through ordering's published use case, as payments needs them."""
        return InProcessOrderPayments(
            self.order_queries(tenant_id), lambda: self.ordering_unit_of_work(tenant_id)
        )

    def payment_provider(self) -> PaymentProvider | None:
        """The provider's API on the process's client, or ``None`` when none is configured."""
        return self._payment_provider

    @cached_property
    def _payment_provider(self) -> HttpPaymentProvider | None:
        # One per process: the circuit breaker must see every request's failures.
        if self.provider_client is None:
            return None
        s = self.settings
        retry = RetryPolicy(
            s.payment_provider_attempts, s.payment_provider_backoff, s.payment_provider_max_backoff
        )
        breaker = CircuitBreaker(s.payment_breaker_failures, s.payment_breaker_reset)
        return HttpPaymentProvider(ResilientSender(self.provider_client, retry, breaker))

    def webhook_verifier(self) -> WebhookVerifier | None:
        """The provider's webhooks' verifier, or ``None`` without a webhook secret."""
        secret = self.settings.payment_webhook_secret
        if secret is None:
            return None
        previous = self.settings.payment_webhook_previous_secret
        secrets = [secret] if previous is None else [secret, previous]
        return HmacWebhookVerifier(
            [each.get_secret_value().encode() for each in secrets],
            self.settings.payment_webhook_tolerance,
            self.clock,
        )

    # --8<-- [end:payments-factories]

    def transport(self) -> Transport:
        """RabbitMQ when ``AMQP_URL`` is set, else the embedded transport; close it after use."""
        if self.settings.amqp_url is not None:
            return RabbitMqTransport(self.settings.amqp_url.get_secret_value(), self.clock)
        return EmbeddedTransport(self.engine, messages, self.clock)

    def relay(self, transport: Transport) -> OutboxRelay:
        """The relay of the shop's outbox to ``transport``; it traces when tracing is on."""
        return OutboxRelay(self.engine, outbox, transport, self.clock, tracer=self._tracer())

    def consumer_runtime(self, consumer: Consumer, transport: Transport) -> ConsumerRuntime:
        """``consumer``'s runtime on ``transport``, with the shop's inbox."""
        return ConsumerRuntime(
            consumer, self.engine, inbox, transport, self.clock, tracer=self._tracer()
        )

    def _tracer(self) -> Tracer | None:
        provider = self.tracer_provider
        return None if provider is None else provider.get_tracer("shop.messaging")

    async def aclose(self) -> None:
        """Close the pools, the cache and the limiters; send the spans still waiting for export."""
        await self.engine.dispose()
        await self.read_cache.aclose()
        await self.login_throttle.aclose()
        await self.rate_limiter.aclose()
        if self.provider_client is not None:
            await self.provider_client.aclose()
        if self.tracer_provider is not None:
            self.tracer_provider.shutdown()

    # --8<-- [start:cache-invalidation]
    def cache_invalidation(self, queue: str = CACHE_INVALIDATION) -> Consumer:
        """The consumer that drops this process's cached reads that relayed events made stale.

        On Redis the processes share the cache, and one consumer on the shared queue
        serves them all; a process that caches in its own memory runs one of its own, on
        a queue of its own (ADR 72).
        """
        return cache_invalidation(self.read_cache, queue)

    # --8<-- [end:cache-invalidation]

    # --8<-- [start:process-events]
    def process_events(self, queue: str) -> Consumer:
        """The consumer of this server process, on ``queue``, which goes away with it.

        It feeds the process's order status feed from the relayed events (ADR 90), and
        drops its cached reads when they are in its memory (ADR 89); on Redis the shared
        ``catalog.cache-invalidation`` consumer drops them for every process.
        """
        handlers = dict(status_changes(self.status_feed))
        if isinstance(self.read_cache, InProcessReadCache):
            handlers |= self.cache_invalidation(queue).handlers
        return Consumer(queue, handlers, in_process=True)

    # --8<-- [end:process-events]


def _address(sender: NameEmail) -> Address:
    return Address(display_name=sender.name, addr_spec=sender.email)


# --8<-- [start:consumers]
UNITS_SOLD = Consumer("catalog.units-sold", {"OrderPlaced": count_units_sold})
"""The catalog counts the units sold of each product from ordering's OrderPlaced events."""

DOMAIN_EVENTS: tuple[type[DomainEvent], ...] = (
    *(ProductAdded, ProductRepriced, ProductDiscontinued),
    *(OrderPlaced, OrderPaid, OrderShipped, OrderCancelled),
)
"""Every event the contexts record; the audit trail keeps them all."""

AUDIT_TRAIL = Consumer(
    "audit.trail", dict.fromkeys((e.__name__ for e in DOMAIN_EVENTS), append_to_trail)
)
"""Audit appends every event to its tenant's hash chain."""

ORDER_EMAILS = "notifications.order-emails"
"""The customers' e-mails about their orders; its handlers need the settings' mailer."""

CONSUMERS: dict[str, Callable[[Services], Consumer]] = {
    UNITS_SOLD.name: lambda _: UNITS_SOLD,
    AUDIT_TRAIL.name: lambda _: AUDIT_TRAIL,
    ORDER_EMAILS: lambda services: Consumer(ORDER_EMAILS, services.order_emails().handlers),
    CACHE_INVALIDATION: lambda services: services.cache_invalidation(),
}
"""Every consumer of the shop, by name, made with the services; ``shop consume NAME``."""
# --8<-- [end:consumers]


def read_cache(settings: Settings) -> ReadCache:
    """The read cache: on Redis when ``REDIS_URL`` is set, else in this process."""
    if settings.redis_url is not None:
        client = redis_client(settings.redis_url.get_secret_value())
        return RedisReadCache(client, ttl=settings.cache_ttl)
    return InProcessReadCache(ttl=settings.cache_ttl, max_entries=settings.cache_max_entries)


# --8<-- [start:identity-bootstrap]
def signing_keys(settings: Settings) -> KeySet:
    """The key set in ``AUTH_KEYS_FILE``, read at start-up; or one for this process.

    Raises:
        OSError: The file cannot be read: ``shop keys generate`` makes it.
        KeyFileError: The file is not a key set; the message says what is wrong.
    """
    if settings.auth_keys_file is None:
        return process_key_set()
    return load_key_set(Path(settings.auth_keys_file.get_secret_value()))


def limits_storage(settings: Settings, prefix: str) -> tuple[RedisStorage | None, Redis | None]:
    """A ``limits`` store in Redis under ``prefix`` when ``REDIS_URL`` is set, and its client.

    ``None`` and ``None`` without Redis: the limiter then counts in this process's memory.
    """
    if settings.redis_url is None:
        return None, None
    url = settings.redis_url.get_secret_value()
    client = redis_client(url)  # fails fast: a request waits for no unreachable server
    # limits' hints name scalar options only; the pool is passed on to redis-py.
    pool: dict[str, Any] = {"connection_pool": client.connection_pool}
    storage = RedisStorage(
        f"async+{url}", wrap_exceptions=True, implementation="redispy", key_prefix=prefix, **pool
    )
    return storage, client


def login_throttle(settings: Settings) -> LoginThrottle:
    """The login throttle: counting in Redis when ``REDIS_URL`` is set, else in this process.

    In Redis, every process of the shop counts the same failures, so a second server
    behind the load balancer is no second chance to guess.
    """
    storage, client = limits_storage(settings, "shop-logins")
    return LimitsLoginThrottle(
        storage,
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address,
        window=settings.login_failure_window,
        close=None if client is None else client.aclose,
    )


def rate_limiter(settings: Settings) -> RateLimiter:
    """The API's rate limiter: counting in Redis when ``REDIS_URL`` is set, else in this process.

    In Redis every process counts against the same quotas; while Redis fails, each
    process counts in its own memory (ADR 77).
    """
    storage, client = limits_storage(settings, "shop-requests")
    policies = {name: getattr(settings, f"rate_limit_per_{name}") for name in RATE_POLICIES}
    return RateLimiter(policies, storage, close=None if client is None else client.aclose)


def external_tokens(settings: Settings) -> AccessTokenVerifier | None:
    """The verifier of the configured OpenID Connect provider's tokens, if there is one."""
    if settings.oidc_jwks_url is None:
        return None
    return JwksTokenVerifier(
        str(settings.oidc_jwks_url),
        issuer=settings.oidc_issuer or "",
        audience=settings.oidc_audience or "",
        algorithms=settings.oidc_algorithms,
    )


# --8<-- [end:identity-bootstrap]


# --8<-- [start:payments-bootstrap]
def provider_client(settings: Settings) -> httpx.AsyncClient | None:
    """The payment provider's HTTP client, with its timeouts and API key; ``None`` unset."""
    if settings.payment_provider_url is None or settings.payment_provider_api_key is None:
        return None
    key = settings.payment_provider_api_key.get_secret_value()
    return httpx.AsyncClient(
        base_url=str(settings.payment_provider_url),
        headers={"Authorization": f"Bearer {key}"},
        # Every phase bounded: a provider that accepts the connection and then says
        # nothing holds a request of the shop for a read timeout, not for ever.
        timeout=httpx.Timeout(
            settings.payment_provider_read_timeout,
            connect=settings.payment_provider_connect_timeout,
        ),
    )


# --8<-- [end:payments-bootstrap]


def bootstrap(settings: Settings) -> Services:
    """Build the services that ``settings`` describe; nothing connects yet.

    Traced when the OpenTelemetry variables configure an exporter
    (:mod:`infrastructure_kernel.tracing`): then the engine's statements get spans.
    """
    engine = create_engine(settings)
    tracer_provider = tracer_provider_from_environment("shop")
    if tracer_provider is not None:
        trace_engine(engine, tracer_provider)
    return Services(
        settings=settings,
        engine=engine,
        clock=SystemClock(),
        tracer_provider=tracer_provider,
        read_cache=read_cache(settings),
        status_feed=InProcessOrderStatusFeed(
            max_per_tenant=settings.status_subscribers_per_tenant,
            max_total=settings.status_subscribers,
            heartbeat=settings.status_heartbeat,
        ),
        signing_keys=signing_keys(settings),
        login_throttle=login_throttle(settings),
        external_tokens=external_tokens(settings),
        rate_limiter=rate_limiter(settings),
        provider_client=provider_client(settings),
    )


# --8<-- [end:bootstrap]
