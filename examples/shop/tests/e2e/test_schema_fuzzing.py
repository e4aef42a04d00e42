"""Schemathesis over the installed shop, in process: the schema and the server agree.

Every operation gets valid requests (positive) and requests that break the schema
(negative), and each answer goes through all of Schemathesis's checks: no 5xx, only
documented statuses, content types, headers and bodies, valid data accepted and invalid
data refused. The budget is small, so the run stays short; the hostile-value tests of the
integration suite go deeper into each field.
"""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from pydantic import SecretStr
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.domain.value_objects.user_id import UserId
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.infrastructure.database.schema import MIGRATIONS
from shop.presentation.api.application import openapi_document, shop_app
from shop.settings import Settings
from tenancy.domain.entities.tenant import Tenant

NEEDS_CREDENTIALS = ("/api/v1/auth/", "/api/v1/me")
OWNER = [Membership(TenantId("acme"), Role.OWNER)]
MAX_EXAMPLES = 15
"""Per operation and mode: about 400 requests in all, in well under a minute."""

DOCUMENT = openapi_document()
OPERATIONS = [
    f"{method.upper()} {path}" for path, item in DOCUMENT["paths"].items() for method in item
]
WITH_INPUT = [
    f"{method.upper()} {path}"
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if operation.get("parameters") or operation.get("requestBody")
]


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """The shop's services on a migrated database with acme, closed after the module."""
    folder = tmp_path_factory.mktemp("fuzzing")
    url = SecretStr(f"sqlite+aiosqlite:///{folder / 'shop.db'}")
    # Passwords hashed at Argon2id's lowest cost: the fuzzer registers and logs in often.
    settings = Settings(
        _env_file=None,
        database_url=url,
        redis_url=None,
        mail_dir=folder / "mail",
        password_hash_time_cost=1,
        password_hash_memory_cost=8,
        password_hash_parallelism=1,
        # Payments configured, so that they answer as in production; the provider is
        # never called, since no order the fuzzer names exists.
        payment_provider_url="http://127.0.0.1:9",
        payment_provider_api_key=SecretStr("sk_fuzzing"),
        payment_webhook_secret=SecretStr("whsec_fuzzing"),
    )
    services = bootstrap(settings)

    async def prepare() -> None:
        await MIGRATIONS.upgrade(services.engine)
        acme = Tenant(TenantId("acme"), "Acme Corporation", datetime(2025, 1, 1, tzinfo=UTC))
        await services.tenant_directory().add(acme)
        await services.engine.dispose()  # the app's requests run on loops of their own

    asyncio.run(prepare())
    yield services
    # The connections the requests left in the pool, and the provider's client, closed
    # now rather than by the garbage collector, in whichever later test it runs.
    asyncio.run(services.aclose())


@pytest.fixture(scope="module")
def schema(services: Services) -> Any:
    """The shop's document, read from the app itself."""
    return schemathesis.openapi.from_asgi("/openapi.json", shop_app(services))


@pytest.fixture(scope="module")
def owner(services: Services) -> str:
    """The ``Authorization`` of an owner of acme, whose token the shop's issuer signed."""
    token = services.access_token_issuer().issue(str(UserId.new().value), OWNER).token
    return f"Bearer {token}"


def fuzz(schema: Any, label: str, mode: GenerationMode, owner: str) -> None:
    operation = schema.find_operation_by_label(label)

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        excluded = []
        # Every request is an owner's: the tenant's endpoints serve only members, and
        # the fuzzer's own Authorization headers would all be refused alike, with a 401.
        case.headers = {**(case.headers or {}), "Authorization": owner}
        if mode is GenerationMode.POSITIVE:
            # Valid by the schema, yet a business answer the schema cannot foresee: a
            # tenant nobody registered (404), a cursor no list made (422), a product
            # that is unknown to an order (422). Each has tests of its own.
            if case.headers is not None and "X-Tenant-ID" in case.headers:
                case.headers["X-Tenant-ID"] = "acme"
            if case.query:
                case.query.pop("after", None)
            # GraphQL's body is a query in its own schema, which OpenAPI does not
            # describe; tests/integration/test_graphql.py holds what it accepts.
            if label in {"POST /api/v1/orders", "POST /api/v1/graphql"}:
                excluded = [positive_data_acceptance]
            # Identity's operations refuse what the schema cannot foresee: a password
            # that is not the account's (invalid_grant), a token that was never issued
            # (401), a mailed link's token; their own tests log in and follow the links.
            if label.split(" ", 1)[1].startswith(NEEDS_CREDENTIALS):
                excluded = [positive_data_acceptance]
            # The provider's webhook refuses any signature but the provider's, which the
            # schema cannot foresee; its own tests sign theirs.
            if label == "POST /api/v1/payment-events":
                excluded = [positive_data_acceptance]
        case.call_and_validate(excluded_checks=excluded)

    call()


@pytest.mark.parametrize("label", OPERATIONS)
def test_valid_requests_are_served_as_documented(schema: Any, label: str, owner: str) -> None:
    fuzz(schema, label, GenerationMode.POSITIVE, owner)


@pytest.mark.parametrize("label", WITH_INPUT)
def test_invalid_requests_are_refused_as_documented(schema: Any, label: str, owner: str) -> None:
    fuzz(schema, label, GenerationMode.NEGATIVE, owner)
