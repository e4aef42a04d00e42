"""The runbook "payments stay pending", walked against webhooks the shop refused.

The runbook (``runbooks/payments-pending.md``, shipped with the shop) is read here and
each step's commands run as written, in ``bash``, against the installed shop served on a
SQLite file, beside the tests' payment provider on a local port. The failure is the
usual one: a webhook secret that is not the provider's, so every delivery is refused and
the provider, after its retries, gives up. The payments started an hour before; one of
them the customer finished paying, the other not yet.
"""

import asyncio
import json
import time
from pathlib import Path

import httpx

from ...integration.payment_provider import (  # noqa: TID252 - the tests' provider, shared
    API_KEY,
    serving_provider,
)
from ...integration.test_payments_reconcile import (  # noqa: TID252 - the same setup
    paying_for_orders,
)
from .shop_server import serving
from .test_database_down import run, steps
from .test_identity_runbooks import shop_environment

RUNBOOK = Path(__file__).parents[3] / "runbooks" / "payments-pending.md"
HALF_ROTATED = "whsec_not_the_providers"  # a test secret, not the provider's: wrong on purpose


def test_the_runbook_finds_the_refused_webhooks_and_settles_their_payments(
    tmp_path: Path,
) -> None:
    runbook = steps(RUNBOOK.read_text(encoding="utf-8"))
    assert sorted(runbook) == [1, 2, 3, 4]
    assert runbook[2] == runbook[4] == ""  # fixing the cause and asking the provider: a person's
    with serving_provider() as provider:
        environment = shop_environment(
            tmp_path,
            PAYMENT_PROVIDER_URL=provider.url,
            PAYMENT_PROVIDER_API_KEY=API_KEY,
            PAYMENT_WEBHOOK_SECRET=HALF_ROTATED,
            PAYMENT_PROVIDER_BACKOFF="0.01",
            SHOP_LOG=str(tmp_path / "server.log"),
            OLDER_THAN="30",
        )
        asyncio.run(paying_for_orders(environment["DATABASE_URL"], provider, 2))
        paid, unfinished = provider.intents
        with serving(environment, tmp_path) as url:  # logs to SHOP_LOG
            headers, body = provider.webhook(paid, timestamp=int(time.time()))
            refused = httpx.post(f"{url}/api/v1/payment-events", content=body, headers=headers)
            assert refused.status_code == 400, refused.text

        found = run(runbook[1], environment)
        assert found.returncode == 0, found
        assert "payment_event_refused" in found.stdout
        assert "no signature matches" in found.stdout  # the table's first row

        settled = run(runbook[3], environment)  # step 2 done; the provider gave up
        assert (settled.returncode, settled.stdout) == (
            0,
            "Checked 2 payments pending for over 30 minutes: 1 succeeded, 0 failed,"
            " 0 refunded, 1 still pending, 0 unresolved.\n",
        ), settled
        orders = run("shop orders list --tenant acme --json", environment)
        statuses = sorted(order["status"] for order in json.loads(orders.stdout)["items"])
        assert statuses == ["paid", "placed"], orders

        del provider.intents[unfinished]  # the provider does not know it (step 4's case)
        unresolved = run(runbook[3], environment)
        assert unresolved.returncode == 1, unresolved
        assert "Checked 1 payments" in unresolved.stdout
        assert "unresolved: " in unresolved.stdout
