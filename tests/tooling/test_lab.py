"""The performance lab's tooling: wrk's script and figures, the ceilings, the benchmark page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from handbook.lab import run, wrk
from handbook.lab.ceilings import RECORDING, Ceiling, fastapi_from_recording, from_recording
from handbook.lab.page import render_benchmark

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_script_sets_the_request_and_reports_figures_as_json() -> None:
    request = wrk.Request("POST", "/orders", (("X-Tenant-ID", "acme"),), '{"a": "b"}')

    script = request.script()

    assert 'wrk.method = "POST"' in script
    assert 'wrk.headers["X-Tenant-ID"] = "acme"' in script
    assert 'wrk.body = "{\\"a\\": \\"b\\"}"' in script
    assert "response = function" not in script  # wrk reads no bodies unless asked
    assert wrk.MARKER in script


def test_a_mark_in_the_body_makes_a_response_a_failure() -> None:
    script = wrk.Request("POST", "/graphql", error_mark='"errors"').script()

    assert 'string.find(body, "\\"errors\\"", 1, true)' in script


def test_the_figures_are_read_from_the_line_the_script_wrote() -> None:
    line = '{"requests": 500, "seconds": 2.0, "p50_ms": 1.5, "p90_ms": 2.0, "p99_ms": 3.0, '
    line += '"failed": 100, "timeouts": 0}'

    figures = wrk.parse(f"Running 2s test\n{wrk.MARKER}{line}\n")

    assert figures.requests_per_second == 200.0  # the failed ones are not throughput
    assert figures.p99_ms == 3.0
    with pytest.raises(ValueError, match="wrote no figures"):
        wrk.parse("unable to connect")


def test_wrk_runs_one_thread_for_whole_seconds() -> None:
    command = wrk.command("http://h:1", Path("s.lua"), connections=16, seconds=0.4)

    assert command[:5] == ["wrk", "--threads", "1", "--connections", "16"]
    assert command[command.index("--duration") + 1] == "1s"


def test_a_missing_wrk_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda _: None)

    with pytest.raises(SystemExit, match="apt-get install wrk"):
        wrk.load("http://h:1", wrk.Request("GET", "/"), connections=1, seconds=1)


@pytest.fixture
def recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorded = tmp_path / "recording.json"
    body = {"status": 201, "content_type": "application/json", "body": '{"id": 1}'}
    recorded.write_text(json.dumps({"/items": body}))
    monkeypatch.setenv(RECORDING, str(recorded))


@pytest.mark.usefixtures("recording")
async def test_both_ceilings_answer_with_the_recorded_bytes() -> None:
    bare = from_recording()
    assert isinstance(bare, Ceiling)
    for app in (bare, fastapi_from_recording()):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lab") as client:
            answered = await client.post("/items", content=b"x" * 10)
            missing = await client.get("/missing")

        assert (answered.status_code, answered.content) == (201, b'{"id": 1}')
        assert answered.headers["content-type"] == "application/json"
        assert missing.status_code == 404


def rows(rate: float) -> list[dict[str, Any]]:
    return [
        {"concurrency": c, "requests_per_second": rate * c, "p50_ms": 1.0, "p99_ms": 2.5}
        for c in (1, 16)
    ]


def test_the_benchmark_page_shows_the_goal_concurrency_and_the_load() -> None:
    run = {
        "date": "2026-12-01T03:00:00Z",
        "machine": "a machine",
        "commit": "abc",
        "database": "PostgreSQL 15",
        "server": "uvicorn 1 --workers 1",
        "load_generator": "wrk debian/4.1.0 [epoll] Copyright (C) 2012 Will Glozer",
        "load_average_before": [3.5, 2.0, 1.0],
        "load_average_after": [4.25, 2.5, 1.0],
        "seconds_per_run": 5.0,
        "warmup_seconds": 1.0,
        "cache": "in-process",
    }
    scenario = {"name": "List", "shop": rows(10), "fastapi": rows(100), "bare": rows(200)}

    page = render_benchmark({"goal_concurrency": 16, "run": run, "scenarios": [scenario]})

    assert "| List | 160 | 1.0 ms | 2.5 ms | 1,600 | 3,200 | 0.10 |" in page
    prose = " ".join(page.split())
    assert "its load average was 3.50 when the run began and 4.25 when it ended" in prose
    assert "wrk debian/4.1.0 [epoll], one thread, 16 connections" in prose


def test_a_shop_without_sign_in_is_sent_no_authorization() -> None:
    signed_in = run.json_request("Bearer t", "GET", "/api/v1/products")
    anonymous = run.json_request("", "POST", "/api/v1/orders", {"lines": []})

    assert ("Authorization", "Bearer t") in signed_in.headers
    assert anonymous.headers == (("X-Tenant-ID", "acme"), ("Content-Type", "application/json"))


def test_a_baseline_gets_a_database_beside_the_labs() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/h4"

    assert run.own_database(url).endswith("/h4_lab")
    assert run.own_database(url, "_before") == url + "_before"


def test_a_baseline_commit_is_named_short_and_an_unknown_one_refused() -> None:
    head = run.revision("HEAD")

    assert len(head) == 12
    assert run.commit().startswith(head)
    with pytest.raises(SystemExit, match="names no commit"):
        run.revision("no-such-reference-of-the-lab")


@pytest.mark.parametrize(
    "given", [["--baseline-python", "/venv/bin/python"], ["--baseline-commit", "116f8d5"]]
)
def test_a_baseline_needs_both_its_python_and_its_commit(
    given: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/h4")

    with pytest.raises(SystemExit) as exited:
        run.main(given)

    assert exited.value.code == 2
    assert "--baseline-python and --baseline-commit go together" in capsys.readouterr().err


def test_a_request_is_measured_at_each_concurrency_with_its_cpu_and_the_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs: list[tuple[int, float]] = []

    def load(_: str, __: wrk.Request, *, connections: int, seconds: float) -> wrk.Figures:
        runs.append((connections, seconds))
        return wrk.Figures(connections * 100, seconds, 1.0, 2.0, 3.0, 0, 0)

    clock = iter(range(100))
    monkeypatch.setattr(wrk, "load", load)
    monkeypatch.setattr(run, "cpu_seconds", lambda _: float(next(clock)))
    monkeypatch.setattr(run, "load_average", lambda: [1.5, 1.0, 0.5])

    figures = run.measure(
        "http://lab", 1, wrk.Request("GET", "/"), run.Load(5.0, 1.0, concurrency=(1, 4))
    )

    assert runs == [(1, 1.0), (1, 5.0), (4, 1.0), (4, 5.0)]
    assert [f["concurrency"] for f in figures] == [1, 4]
    assert [f["cpu_ms_per_request"] for f in figures] == [10.0, 2.5]  # one CPU second each
    assert all(f["load_average"] == 1.5 for f in figures)
