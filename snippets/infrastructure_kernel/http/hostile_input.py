r"""Hostile values for property-based tests at the HTTP edge, and what every answer must be.

An API is tested as a hostile client attacks it: every field, header, path and query
parameter gets values built to break something (numbers past every limit, text with NUL
characters and lone surrogates, JSON of the wrong type, sizes far past any limit), and
every answer must be a success or a 4xx problem document that names the field. Never a
5xx: a crash is a bug whatever the input was.

The strategies are Hypothesis's (a test dependency, never imported by the app); each
example system's tests draw from them, so a new context is tested with the same hostile
values on the day it gets its first endpoint.

Example:
    Hypothesis shrinks what it finds to the simplest example, here the shortest text
    with a character that PostgreSQL refuses:

    ```py
    from hypothesis import find, settings

    from infrastructure_kernel.http.hostile_input import hostile_text

    found = find(hostile_text(), lambda text: "\x00" in text, settings=settings(database=None))
    print(repr(found))
    #> '\x00'
    ```
"""

import base64
import json
from collections.abc import Callable, Coroutine, Mapping
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import quote

import anyio
import anyio.from_thread
import anyio.to_thread
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infrastructure_kernel.http.problems import PROBLEM_JSON

T = TypeVar("T")

# --8<-- [start:hostile-values]
ODD_CHARACTERS = (
    "\x00",  # NUL: PostgreSQL refuses it in text, SQLite stores it
    "\ud800",  # a lone surrogate: no UTF-8 encoding exists
    "\udfff",
    "\u202e",  # right-to-left override
    "\u2067",  # right-to-left isolate
    "e\u0301",  # a combining accent
    "\ufeff",  # a byte order mark
    "\u200b",  # a zero-width space
    "\n",
    "\x1b[31m",  # a terminal escape sequence
    "\U0001f600",  # outside the Basic Multilingual Plane
    "\u0130",  # "İ": longer in lower case than in upper
    "\ufb00",  # "ﬀ": "FF" in upper case
)


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    """Text of any code point, surrogates included, with the odd characters above mixed in."""
    anything = st.text(st.characters(codec=None, exclude_categories=()), max_size=max_size)
    odd = st.lists(st.sampled_from(ODD_CHARACTERS), min_size=1, max_size=8).map("".join)
    mixed = st.tuples(anything, odd, anything).map("".join)
    return st.one_of(odd, mixed, anything, st.just(""), st.just(" " * max_size))


def huge_text() -> st.SearchStrategy[str]:
    """Text far longer than any field allows, yet small enough to fit a request body."""
    return st.sampled_from(["x" * 10_000, "\u00e9" * 5_000, "1" * 20_000])


def hostile_numbers() -> st.SearchStrategy[Any]:
    """Numbers past every limit, as JSON numbers and as the strings clients send."""
    as_text = st.sampled_from(
        [
            "1e999999999",
            "-1e999999999",
            "1e-999999999",
            "NaN",
            "-NaN",
            "sNaN",
            "Infinity",
            "-Infinity",
            "1" * 5_000,
            "0." + "1" * 5_000,
            "1_000",
            " 1",
            "0x10",
            "-0",
            "1.",
            ".5",
            "١٢",  # Arabic-Indic digits, which int() and Decimal() accept
        ]
    )
    big = st.integers(min_value=-(2**200), max_value=2**200)
    return st.one_of(as_text, big, st.floats(allow_nan=False, allow_infinity=False))


def wrong_json_types() -> st.SearchStrategy[Any]:
    """JSON values of every type, nested: whatever a field did not expect."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=10,
    )


def hostile_values() -> st.SearchStrategy[Any]:
    """Any of the above: what a JSON field of any type is sent."""
    return st.one_of(hostile_text(), huge_text(), hostile_numbers(), wrong_json_types())


def calendar_edges() -> st.SearchStrategy[str]:
    """Valid timestamps at the edges of the calendar, with offsets that push them past it."""
    days = st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59.999999"])
    offsets = st.sampled_from(["+01:00", "-01:00", "+23:59", "-23:59", "Z", "+00:00", ""])
    return st.tuples(days, offsets).map("".join)


def cursor_of(key: Any) -> str:
    """A cursor as the lists make them (base64url JSON), of any key at all."""
    return base64.urlsafe_b64encode(json.dumps(key).encode()).rstrip(b"=").decode("ascii")


def hostile_cursors(fields: Mapping[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[str]:
    """Forged cursors: keys with the list's field names and hostile values, and raw junk.

    Args:
        fields: The list key's fields, each with values that look right, e.g. a real
            SKU; some examples keep them, others replace them with hostile values.
    """
    field = st.one_of(hostile_values(), calendar_edges())
    keys = st.fixed_dictionaries({name: st.one_of(good, field) for name, good in fields.items()})
    forged = st.one_of(keys, wrong_json_types()).map(cursor_of)
    return st.one_of(forged, hostile_text(max_size=250), huge_text())


def hostile_header_values() -> st.SearchStrategy[str]:
    """What a client can put in a header: any Latin-1 text, controls and huge ones too."""
    latin1 = st.text(st.characters(max_codepoint=0xFF, exclude_characters="\r\n"), max_size=300)
    return st.one_of(latin1, st.just(""), st.just("x" * 10_000), st.just("a\x00b"))


# --8<-- [end:hostile-values]


def json_content(value: Any, headers: Mapping[str, str] = {}) -> dict[str, Any]:
    """Request arguments for a JSON body of ``value``, lone surrogates escaped as JSON does.

    ``httpx.AsyncClient.post(..., json=...)`` writes UTF-8 directly, which a lone
    surrogate cannot be; ``**json_content(value, headers)`` sends what a hostile client
    sends, with ``headers`` beside the content type.
    """
    return {
        "content": json.dumps(value).encode(),
        "headers": {**headers, "Content-Type": "application/json"},
    }


def quoted(value: str) -> str:
    """``value`` percent-encoded for a path segment or a query, surrogates included."""
    return quote(value, safe="", errors="surrogatepass")


# --8<-- [start:names-the-field]
REFUSALS = {HTTPStatus.BAD_REQUEST, HTTPStatus.UNPROCESSABLE_ENTITY}
"""The answers that refuse the input itself, and so must name the field."""


def assert_names_the_field(response: httpx.Response, field: str) -> dict[str, Any] | None:
    """Fail unless ``response`` is a success, or a 4xx problem document naming ``field``.

    A refusal of the input (400, 422) names the field: a validation error's ``location``
    holds it, or the ``detail`` says it (an error raised past the edge, such as a
    forged cursor). Any other 4xx (a well-formed id that names nothing is a 404) is a
    problem document too. Returns the problem, or ``None`` for a success.

    Raises:
        AssertionError: What is wrong with the answer, with its start.
    """
    status = response.status_code
    _expect(status < HTTPStatus.INTERNAL_SERVER_ERROR, f"{status} for {field}", response)
    if status < HTTPStatus.BAD_REQUEST:
        return None
    _expect(response.headers["content-type"] == PROBLEM_JSON, "not a problem", response)
    problem: dict[str, Any] = response.json()
    members = {"type", "title", "status", "detail", "instance"}
    _expect(members <= problem.keys() and problem["status"] == status, "not RFC 9457", response)
    if status in REFUSALS:
        errors = problem.get("errors", [])
        locations = [[str(part).lower() for part in error["location"]] for error in errors]
        named = any(field.lower() in location for location in locations)
        _expect(named or field.lower() in problem["detail"].lower(), f"{field}?", response)
    return problem


def _expect(condition: bool, what: str, response: httpx.Response) -> None:  # noqa: FBT001
    if not condition:
        raise AssertionError(f"{what}: {response.status_code} {response.text[:500]}")


# --8<-- [end:names-the-field]


# --8<-- [start:each-example]
async def for_each_example(
    strategy: st.SearchStrategy[T],
    check: Callable[[T], Coroutine[Any, Any, None]],
    *,
    max_examples: int = 25,
) -> None:
    """Run the async ``check`` on examples of ``strategy``, from an async test.

    Hypothesis runs a test synchronously, so it runs in a worker thread and hands each
    example back to the test's event loop, where the app, its client and its database
    engine live.
    """

    @settings(
        max_examples=max_examples,
        deadline=None,  # a database round trip may take a while on a busy machine
        database=None,  # nothing written beside the tests: they run in exported projects too
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def run(value: T) -> None:
        anyio.from_thread.run(check, value)

    await anyio.to_thread.run_sync(run)


# --8<-- [end:each-example]
