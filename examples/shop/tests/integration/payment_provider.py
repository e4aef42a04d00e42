"""A payment provider of the tests' own: its HTTP API served on a local port.

A real ``http.server`` in a thread, not a mock: the shop's client opens a TCP
connection, sends its request and reads the answer as it would from a real provider.
The provider keeps its intents by idempotency key and counts the charges each key
made, so a test can prove that no key was charged twice; it keeps its refunds the same
way, and refunds only what an intent collected. It can be told how to treat the next
requests (:attr:`Provider.script`), and it signs webhooks about its intents, correctly
or not, for the tests to deliver in any order; a webhook it signs says what happened,
so the intent's status (what ``GET`` answers) becomes the webhook's.
"""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from payments.infrastructure.security.hmac_webhooks import SIGNATURE_HEADER, sign

API_KEY = "sk_test_shop"
WEBHOOK_SECRET = "whsec_test_shop"  # noqa: S105 - a test secret, shared with the shop under test

# What the provider can be told to do with a request, one word per request:
# "503", "502", "504": answer that status without processing it;
# "429": refuse it with Retry-After: 0;
# "reset": close the connection without reading or processing it;
# "drop": process it, then close the connection without an answer;
# "slow": process it, then answer after the client's read timeout;
# "html": answer 201 with an HTML page, as a misrouted proxy would.
SLOW_SECONDS = 1.0
CANNED: dict[str, tuple[int, dict[str, str]]] = {
    "502": (502, {}),
    "503": (503, {}),
    "504": (504, {}),
    "429": (429, {"Retry-After": "0"}),
}


@dataclass
class Provider:
    """The provider's state: intents, charges by key, and what to do with what comes."""

    url: str = ""
    script: list[str] = field(default_factory=list)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    charges: dict[str, int] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The intent of ``key``: made by the first request with it, found by the others."""
        with self.lock:
            if key in self.by_key:
                return 200, self.intents[self.by_key[key]]
            intent_id = f"pi_{len(self.intents) + 1:04d}"
            intent = {
                "id": intent_id,
                "amount": body["amount"],
                "currency": body["currency"],
                "status": "requires_payment_method",
                "metadata": body.get("metadata", {}),
            }
            self.intents[intent_id] = intent
            self.by_key[key] = intent_id
            self.charges[key] = self.charges.get(key, 0) + 1
            return 201, intent

    def refund(self, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The refund of ``key``: of a succeeded intent, at most its amount, once."""
        with self.lock:
            if key in self.refunds:
                return 200, self.refunds[key]
            intent = self.intents.get(body.get("payment_intent", ""))
            if intent is None or intent["status"] != "succeeded":
                return 400, {"error": "only a succeeded intent is refunded"}
            if body.get("amount") != intent["amount"]:
                return 400, {"error": "a refund is of the amount collected"}
            refund = {
                "id": f"re_{len(self.refunds) + 1:04d}",
                "payment_intent": intent["id"],
                "amount": intent["amount"],
                "currency": intent["currency"],
                "status": "succeeded",
            }
            self.refunds[key] = refund
            return 201, refund

    def refunded(self, intent_id: str) -> int:
        """How many refunds the provider made of ``intent_id``."""
        return sum(refund["payment_intent"] == intent_id for refund in self.refunds.values())

    def webhook(  # noqa: PLR0913 - every part a test may want wrong
        self,
        intent_id: str,
        kind: str = "payment.succeeded",
        *,
        event_id: str | None = None,
        timestamp: int,
        secret: str = WEBHOOK_SECRET,
        amount: Any = None,
        currency: str | None = None,
    ) -> tuple[dict[str, str], bytes]:
        """A webhook about ``intent_id``, signed with ``secret`` at ``timestamp``.

        What it says becomes the intent's status, except that a success stays.
        """
        intent = self.intents[intent_id]
        if intent["status"] != "succeeded":
            intent["status"] = kind.rsplit(".", 1)[1]
        body = json.dumps(
            {
                "id": event_id or f"evt_{intent_id}_{kind.rsplit('.', 1)[1]}",
                "type": kind,
                "created": timestamp,
                "data": {
                    "payment_intent": intent_id,
                    "amount": intent["amount"] if amount is None else amount,
                    "currency": currency or intent["currency"],
                },
            }
        ).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret.encode(), timestamp, body),
        }
        return headers, body


@contextmanager
def serving_provider() -> Iterator[Provider]:
    """Serve a provider on a free local port."""
    provider = Provider()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            key = self.headers.get("Idempotency-Key")
            provider.requests.append(("POST", self.path, key))
            step = provider.script.pop(0) if provider.script else ""
            if step == "reset":
                self.hang_up()
                return
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            if self.refused(step, key):
                return
            assert key is not None
            create = provider.refund if self.path == "/v1/refunds" else provider.create
            status, intent = create(key, body)
            if step == "drop":
                self.hang_up()
                return
            if step == "slow":
                time.sleep(SLOW_SECONDS)
            self.answer(status, intent)

        def refused(self, step: str, key: str | None) -> bool:
            """Answer without processing, as the step or a bad request says; or not."""
            if self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self.answer(401, {"error": "invalid api key"})
            elif step in CANNED:
                status, headers = CANNED[step]
                self.answer(status, {"error": "not now"}, headers)
            elif step == "html":
                self.send_response(201)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "6")
                self.end_headers()
                self.wfile.write(b"<html>")
            elif key is None or self.path not in {"/v1/payment_intents", "/v1/refunds"}:
                self.answer(400, {"error": "an Idempotency-Key is required"})
            else:
                return False
            return True

        def hang_up(self) -> None:
            self.close_connection = True
            self.connection.close()

        def do_GET(self) -> None:
            provider.requests.append(("GET", self.path, None))
            step = provider.script.pop(0) if provider.script else ""
            if step in CANNED:
                status, headers = CANNED[step]
                self.answer(status, {"error": "not now"}, headers)
                return
            intent = provider.intents.get(self.path.rsplit("/", 1)[-1])
            if intent is None:
                self.answer(404, {"error": "no such intent"})
                return
            self.answer(200, intent)

        def answer(
            self, status: int, document: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            body = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:  # the client gave up waiting; its next try is another request
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - its name
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
