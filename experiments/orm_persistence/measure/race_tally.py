"""``pytest -p measure.race_tally``: tally the statuses of the racing requests per test.

Wraps the in-process client's ``post`` and writes, per test, how many responses came
back with each status (and problem type) to the JSON file named by ``RACE_TALLY``.
"""

import json
import os
from collections import Counter
from typing import Any

import httpx
import pytest

_post = httpx.AsyncClient.post
_tally: Counter[str] = Counter()
_tallies: dict[str, dict[str, int]] = {}


async def _counted_post(self: httpx.AsyncClient, url: Any, *args: Any, **kwargs: Any) -> Any:
    response = await _post(self, url, *args, **kwargs)
    outcome = str(response.status_code)
    if response.status_code >= 400:  # noqa: PLR2004 - the start of the error statuses
        outcome += " " + response.json()["type"].rsplit("/", 1)[-1]
    _tally[f"{str(url).rsplit('/', 1)[-1]}: {outcome}"] += 1
    return response


httpx.AsyncClient.post = _counted_post  # type: ignore[method-assign]


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """File the test's tally under its name."""
    if _tally:
        _tallies[item.name] = dict(sorted(_tally.items()))
    _tally.clear()


def pytest_sessionfinish() -> None:
    """Write the tallies."""
    with open(os.environ["RACE_TALLY"], "w", encoding="utf-8") as file:
        json.dump(_tallies, file)
