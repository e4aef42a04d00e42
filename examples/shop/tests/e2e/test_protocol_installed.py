"""End to end: what the running server's HTTP parser lets through, and what the shop does
with it. Raw bytes on a socket, since an HTTP client refuses to send such requests.
"""

import socket
from urllib.parse import urlsplit

import httpx


def exchange(base_url: str, request: bytes) -> bytes:
    """Send ``request`` as it is; return everything the server answers until it closes."""
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_a_body_framed_by_length_and_by_chunks_is_refused_and_the_connection_closed(
    base_url: str,
) -> None:
    request = (
        b"POST /api/v1/products HTTP/1.1\r\nHost: shop\r\nX-Tenant-ID: acme\r\n"
        b"Content-Type: application/json\r\nContent-Length: 4\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
        # What a proxy that believed Content-Length would take for a second request:
        b"GET /api/v1/products HTTP/1.1\r\nHost: shop\r\nX-Tenant-ID: acme\r\n\r\n"
    )

    answer = exchange(base_url, request)

    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"connection: close" in head.lower()
    assert b"ambiguous-framing" in body
    assert answer.count(b"HTTP/1.1 ") == 1  # the second request was never served


def test_the_server_names_no_software_and_every_answer_forbids_sniffing(base_url: str) -> None:
    response = httpx.get(f"{base_url}/api/v1/health/live")

    assert "server" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_a_60_kb_header_is_not_echoed_back(base_url: str) -> None:
    request = (
        b"GET /api/v1/tenant HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n"
        b"X-Tenant-ID: " + b"a" * 60_000 + b"\r\n\r\n"
    )

    answer = exchange(base_url, request)

    assert answer.startswith(b"HTTP/1.1 4")
    assert len(answer) < 4096
