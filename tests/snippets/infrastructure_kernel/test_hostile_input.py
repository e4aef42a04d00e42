"""The hostile-input helpers hold an answer to what they promise, and fail loudly otherwise."""

from typing import Any

import httpx
import pytest

from infrastructure_kernel.http.hostile_input import assert_names_the_field

PROBLEM = {"type": "about:blank", "title": "t", "detail": "d", "instance": "/x"}


def answer(status: int, body: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
    content_type = headers.pop("content_type", "application/problem+json")
    return httpx.Response(status, json=body, headers={"content-type": content_type})


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (answer(500, {**PROBLEM, "status": 500}), "500 for name"),
        (answer(422, {"detail": "x"}, content_type="application/json"), "not a problem"),
        (answer(422, {**PROBLEM, "status": 400}), "not RFC 9457"),
        (answer(422, {**PROBLEM, "status": 422, "errors": []}), "name?"),
    ],
)
def test_an_answer_that_breaks_a_promise_fails(response: httpx.Response, error: str) -> None:
    with pytest.raises(AssertionError, match=error.replace("?", r"\?")):
        assert_names_the_field(response, "name")


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        (answer(201, {}), None),
        (answer(404, {**PROBLEM, "status": 404}), {**PROBLEM, "status": 404}),
        (
            answer(422, {**PROBLEM, "status": 422, "detail": "the Name is blank"}),
            {**PROBLEM, "status": 422, "detail": "the Name is blank"},
        ),
    ],
)
def test_an_answer_that_keeps_it_passes(
    response: httpx.Response, problem: dict[str, Any] | None
) -> None:
    assert assert_names_the_field(response, "name") == problem
