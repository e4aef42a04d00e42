"""What the edge believes, allows and says: proxies, CORS and the security headers."""

import base64
import hashlib
import re
from collections.abc import Mapping

import httpx
import pytest
from fastapi import FastAPI, Request
from hypothesis import given, settings
from hypothesis import strategies as st

from infrastructure_kernel.http.edge import EdgeSecurity, RateLimits, cors_middleware, edge_app
from infrastructure_kernel.http.problems import ProblemCatalog
from infrastructure_kernel.http.rate_limit import RateLimiter, client_address
from infrastructure_kernel.http.response_headers import DEFAULT_RESPONSE_HEADERS

pytestmark = pytest.mark.anyio

BASE = "tag:things.example,2025:problems/"
SHOP = "https://shop.example"


def things_app(edge: EdgeSecurity | None = None) -> FastAPI:
    app = edge_app(
        ProblemCatalog(BASE), max_body_size=100, single_headers=["X-Tenant-ID"], edge=edge
    )

    @app.get("/things")
    async def things(request: Request) -> dict[str, str]:
        return {"client": client_address(request), "scheme": request.url.scheme}

    return app


def client(
    app: FastAPI, base_url: str = "http://testserver", peer: str = "127.0.0.1"
) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 50_000))
    return httpx.AsyncClient(transport=transport, base_url=base_url)


# --8<-- [start:security-headers-test]
async def test_every_answer_carries_the_security_headers_and_hsts_only_over_https() -> None:
    async with client(things_app()) as http:
        plain = await http.get("/things")
        problem = await http.get("/nothing")
    async with client(things_app(), base_url="https://testserver") as https:
        secure = await https.get("/things")

    for answer in (plain, problem, secure):
        assert {name: answer.headers[name] for name in DEFAULT_RESPONSE_HEADERS} == (
            DEFAULT_RESPONSE_HEADERS
        )
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "Strict-Transport-Security" not in plain.headers
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"


async def test_hsts_is_configurable_and_can_be_off() -> None:
    async with client(things_app(EdgeSecurity(hsts_max_age=0)), "https://testserver") as https:
        answer = await https.get("/things")

    assert "Strict-Transport-Security" not in answer.headers


async def test_the_api_docs_page_may_run_its_own_scripts_and_nothing_injected() -> None:
    async with client(things_app()) as http:
        page = await http.get("/docs")

    policy = page.headers["Content-Security-Policy"]
    inline = re.findall(rb"<script>(.*?)</script>", page.content, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(inline[0]).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert "http" not in policy  # nothing from another host


# --8<-- [end:security-headers-test]


# --8<-- [start:cors-test]
async def test_a_preflight_from_an_allowed_origin_is_answered_and_others_are_not() -> None:
    app = things_app(EdgeSecurity(cors_origins=[SHOP]))
    preflight = {"Access-Control-Request-Method": "POST"}
    asked = {**preflight, "Access-Control-Request-Headers": "authorization, x-tenant-id"}
    async with client(app) as http:
        allowed = await http.options("/things", headers={"Origin": SHOP, **asked})
        refused = await http.options(
            "/things", headers={"Origin": "https://evil.example", **preflight}
        )
        simple = await http.get("/things", headers={"Origin": SHOP})

    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == SHOP
    assert "X-Tenant-ID" in allowed.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in allowed.headers
    assert refused.status_code == 400
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert simple.headers["Access-Control-Allow-Origin"] == SHOP
    assert "RateLimit" in simple.headers["Access-Control-Expose-Headers"]
    assert simple.headers["X-Content-Type-Options"] == "nosniff"


async def test_without_an_allow_list_no_origin_is_allowed() -> None:
    async with client(things_app()) as http:
        answer = await http.get("/things", headers={"Origin": SHOP})

    assert "Access-Control-Allow-Origin" not in answer.headers


def test_any_origin_with_credentials_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be allowed with credentials"):
        cors_middleware(["*"], [], credentials=True)


# --8<-- [end:cors-test]


# --8<-- [start:proxies-test]
async def test_forwarded_headers_are_believed_from_a_trusted_proxy_only() -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    behind_proxy = things_app(EdgeSecurity(trusted_proxies=["10.0.0.0/8"]))
    async with client(behind_proxy, peer="10.1.2.3") as proxy:
        believed = (await proxy.get("/things", headers=forwarded)).json()
    async with client(behind_proxy, peer="198.51.100.9") as stranger:
        ignored = (await stranger.get("/things", headers=forwarded)).json()
    async with client(things_app(), peer="10.1.2.3") as direct:
        default = (await direct.get("/things", headers=forwarded)).json()

    assert believed == {"client": "203.0.113.7", "scheme": "https"}
    assert ignored == {"client": "198.51.100.9", "scheme": "http"}
    assert default == {"client": "10.1.2.3", "scheme": "http"}


# --8<-- [end:proxies-test]


async def by_address(request: Request) -> Mapping[str, str]:
    return {"address": client_address(request)}


# --8<-- [start:hostile-forwarded-property]
@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300))
async def test_any_forwarded_for_is_answered_and_limited_under_some_address(value: str) -> None:
    limits = RateLimits(RateLimiter({"address": "1/minute"}), by_address)
    app = things_app(EdgeSecurity(trusted_proxies=["127.0.0.1"], rate_limits=limits))
    async with client(app) as http:
        first = await http.get("/things", headers={"X-Forwarded-For": value})
        second = await http.get("/things", headers={"X-Forwarded-For": value})

    assert first.status_code == 200
    assert second.status_code == 429
    address = first.json()["client"]  # uvicorn takes a part of one entry, or the peer
    assert address == "127.0.0.1" or address in value


# --8<-- [end:hostile-forwarded-property]
