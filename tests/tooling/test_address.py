"""Where ``nox -s serve`` listens, and a busy address refused in one line (``handbook.address``)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from handbook.address import Address, bind_error, refusal


@pytest.fixture
def listening() -> Iterator[Address]:
    """An address that something listens on, as another server would."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield Address("127.0.0.1", server.getsockname()[1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8000", Address("127.0.0.1", 8000)),
        ("localhost:8001", Address("localhost", 8001)),
        ("[::1]:8002", Address("::1", 8002)),
    ],
)
def test_an_address_is_host_colon_port(text: str, expected: Address) -> None:
    assert Address.parse(text) == expected
    assert str(expected) == text
    assert expected.url == f"http://{text}/"


@pytest.mark.parametrize("text", ["8000", "127.0.0.1", "127.0.0.1:http", ":8000", "h:0", "h:70000"])
def test_anything_else_is_refused_saying_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not HOST:PORT, such as 127\.0\.0\.1:8000") as raised:
        Address.parse(text)

    assert refusal(text) == str(raised.value)
    assert str(raised.value).startswith(f"HANDBOOK_ADDRESS={text!r}")


def test_a_free_address_is_not_refused() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]

    assert refusal(f"127.0.0.1:{port}") is None


def test_a_busy_port_is_refused_in_one_line_naming_a_free_address(listening: Address) -> None:
    refused = refusal(str(listening))

    assert refused is not None
    assert "\n" not in refused
    assert refused.startswith(f"{listening} is already in use; to serve elsewhere, run `")
    suggested = refused.split("HANDBOOK_ADDRESS=", 1)[1].split(" ", 1)[0]
    assert refused.endswith(f"`HANDBOOK_ADDRESS={suggested} ./noxw -s serve`")
    assert bind_error(Address.parse(suggested)) is None  # free when suggested


def test_an_address_of_another_machine_is_refused_with_the_reason() -> None:
    refused = refusal("192.0.2.1:8000")  # TEST-NET-1: never an address of this machine

    assert refused == (
        "cannot serve at 192.0.2.1:8000: Cannot assign requested address; "
        "choose another with HANDBOOK_ADDRESS"
    )
