"""An identity provider of the tests' own: a JWK Set served over HTTP on a local port.

A real ``http.server`` in a thread, not a mock: the verifier under test opens a TCP
connection, sends a request and parses the answer exactly as it would with a real
provider. The provider signs tokens with ES256 keys it can rotate, counts the fetches
of its key set, and can be told to fail.
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

ISSUER = "https://idp.example"
AUDIENCE = "shop"


@dataclass
class Provider:
    """The provider's state: its keys, newest first, and what its server answers."""

    keys: list[tuple[str, ec.EllipticCurvePrivateKey]] = field(default_factory=list)
    fetches: int = 0
    failing: bool = False
    url: str = ""

    def rotate(self) -> str:
        """Add a new signing key; the old ones stay published. Return its kid."""
        kid = f"idp-{len(self.keys) + 1}"
        self.keys.insert(0, (kid, ec.generate_private_key(ec.SECP256R1())))
        return kid

    def jwks(self) -> dict[str, Any]:
        return {
            "keys": [
                {**ECAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": kid, "alg": "ES256"}
                for kid, key in self.keys
            ]
        }

    def token(self, subject: str, **changes: Any) -> str:
        """A token signed with the newest key; ``changes`` replace claims or add header fields."""
        kid, key = self.keys[0]
        now = datetime.now(UTC)
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + timedelta(minutes=5),
            "jti": "idp-token",
            **{name: value for name, value in changes.items() if name != "kid"},
        }
        return jwt.encode(claims, key, algorithm="ES256", headers={"kid": changes.get("kid", kid)})


@contextmanager
def serving_provider() -> Iterator[Provider]:
    """Serve a provider with one key at ``/jwks.json`` on a free local port."""
    provider = Provider()
    provider.rotate()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            provider.fetches += 1
            if provider.failing or self.path != "/jwks.json":
                self.send_error(503 if provider.failing else 404)
                return
            body = json.dumps(provider.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - its name
            """Keep the test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.url = f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
