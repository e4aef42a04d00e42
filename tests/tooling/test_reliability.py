"""What ``nox -s reliability`` writes into the reliability page, and how staleness is caught."""

import json
from pathlib import Path

import pytest

from handbook import delivery
from handbook.reliability import (
    END,
    PAGE,
    SOURCES,
    START,
    check_page,
    main,
    sources_digest,
    write,
)

FIGURES = {
    "outages": {
        "postgresql": "15.20",
        "workers": 8,
        "outage_seconds": 2.0,
        "requests": 1234,
        "statuses": {"201": 200, "503": 1034},
        "server_errors_other_than_503": 0,
        "acknowledged_checked": 200,
        "slowest_answer_seconds": 2.3,
        "recovery_seconds": {"stopped": 0.3, "frozen": 0.4, "crashed": 1.25},
    },
    "overload": {
        "clients": 50,
        "pool_connections": 2,
        "pool_timeout_seconds": 0.5,
        "lines_per_response": 500,
        "requests": 200,
        "statuses": {"200": 50, "503": 150},
        "server_errors_other_than_503": 0,
        "typical_refusal_seconds": 1.75,
        "slowest_refusal_seconds": 6.5,
    },
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / SOURCES).mkdir(parents=True)
    (tmp_path / SOURCES / "test_outages.py").write_text("def test(): ...\n", encoding="utf-8")
    page = tmp_path / PAGE
    page.parent.mkdir(parents=True)
    page.write_text(f"# Reliability\n\nBefore.\n\n{START}\n{END}\n\nAfter.\n", encoding="utf-8")
    measured = tmp_path / "figures.json"
    measured.write_text(json.dumps({**FIGURES, "sources": sources_digest(tmp_path)}))
    return tmp_path


def test_the_figures_are_written_between_the_markers_and_pass_the_check(root: Path) -> None:
    write(root, root / "figures.json")

    text = (root / PAGE).read_text(encoding="utf-8")
    assert text.startswith("# Reliability\n\nBefore.\n\n<!-- reliability:start -->")
    assert text.endswith("<!-- reliability:end -->\n\nAfter.\n")
    assert (
        "| Outages: 8 clients placing orders | 1,234 | 200 | 1,034 | 0 | 200, all found |" in text
    )
    assert "| Overload: 50 clients listing orders, a pool of 2 | 200 | 50 | 150 | 0 |" in text
    assert "| a 503: 1.75 s typically, 6.50 s at most |" in text
    assert "| Frozen: every server process sent `SIGSTOP` | 0.40 s |" in text
    assert "PostgreSQL 15.20" in text
    assert check_page(root) == []


def test_a_table_edited_by_hand_fails_the_check(root: Path) -> None:
    write(root, root / "figures.json")
    page = root / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("1,034", "1,000"), encoding="utf-8")

    [problem] = check_page(root)
    assert (problem.path, problem.line) == (PAGE, 5)
    assert "differ from the figures" in problem.message


def test_figures_from_fault_tests_that_changed_since_are_stale(root: Path) -> None:
    write(root, root / "figures.json")
    (root / SOURCES / "test_overload.py").write_text("def test(): ...\n", encoding="utf-8")

    [problem] = check_page(root)
    assert "stale" in problem.message
    assert "nox -s reliability" in problem.message


def test_a_page_without_figures_or_markers_fails_and_no_page_is_fine(root: Path) -> None:
    [empty] = check_page(root)
    assert "no figures" in empty.message

    (root / PAGE).write_text("# Reliability\n", encoding="utf-8")
    [lost] = check_page(root)
    assert "lost its markers" in lost.message

    (root / PAGE).unlink()
    assert check_page(root) == []


def test_figures_of_other_fault_tests_are_refused(root: Path) -> None:
    (root / SOURCES / "test_outages.py").write_text("def test(): pass\n", encoding="utf-8")

    with pytest.raises(ValueError, match="other fault tests"):
        write(root, root / "figures.json")
    assert check_page(root)[0].message.startswith("no figures")


def test_without_figures_the_command_says_the_tests_did_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path / "missing.json")]) == 1
    assert "the fault tests did not run" in capsys.readouterr().err


def delivery_run(**particular: object) -> dict[str, object]:
    return {
        "orders": 300,
        "events": 342,
        "orders_counted": 310,
        "lost": 0,
        "duplicates_delivered": 7,
        "duplicate_effects": 0,
        "dead_letters": 0,
        "killed": 1,
        "drain_seconds": 1.234,
        "run_seconds": 12.5,
        **particular,
    }


DELIVERY = {
    "relay_killed": delivery_run(locked_when_killed=57),
    "broker_restarted": delivery_run(
        orders=1000,
        killed=0,
        rabbitmq="3.10.8",
        postgresql="15.20",
        placed_before_restart=334,
        broker_down_seconds=9.06,
        broker_start_seconds=6.5,
        relay_retries=41,
        consumer_retries=12,
    ),
    "consumer_killed": delivery_run(unacknowledged_when_killed=1),
}


@pytest.fixture
def with_delivery(root: Path) -> Path:
    page = root / delivery.PAGE
    page.write_text(
        f"# Delivery under faults\n\n{delivery.START}\n{delivery.END}\n\nAfter.\n",
        encoding="utf-8",
    )
    measured = root / "figures.json"
    figures = json.loads(measured.read_text(encoding="utf-8"))
    measured.write_text(json.dumps({**figures, **DELIVERY}), encoding="utf-8")
    return root


def test_the_delivery_figures_go_to_their_own_page_and_pass_the_check(with_delivery: Path) -> None:
    write(with_delivery, with_delivery / "figures.json")

    text = (with_delivery / delivery.PAGE).read_text(encoding="utf-8")
    assert "| `shop relay` killed (SIGKILL) mid-batch, holding 57 rows locked | 300 | 342 " in text
    assert "| The broker restarted while N = 1,000 orders were placed | 1,000 |" in text
    assert "| 0 | 7 | 0 | 0 | 1.23 s | 12.5 s |" in text
    assert "holding 1 unacknowledged message" in text
    assert "| Seconds from the stop until it took connections again | 9.1 s |" in text
    assert "| Relay or consumer processes that died | 0 |" in text
    assert "RabbitMQ 3.10.8, PostgreSQL 15.20" in text
    reliability = (with_delivery / PAGE).read_text(encoding="utf-8")
    assert "relay_killed" not in reliability  # each page keeps its own figures
    assert check_page(with_delivery) == []

    (with_delivery / SOURCES / "test_delivery.py").write_text("def test(): ...\n")
    stale = check_page(with_delivery)
    assert [p.path for p in stale] == [PAGE, delivery.PAGE]
    assert all("stale" in p.message for p in stale)


def test_a_delivery_table_edited_by_hand_or_missing_figures_fail(with_delivery: Path) -> None:
    write(with_delivery, with_delivery / "figures.json")
    page = with_delivery / delivery.PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("| 7 |", "| 0 |"), encoding="utf-8")

    [edited] = check_page(with_delivery)
    assert (edited.path, edited.line) == (delivery.PAGE, 3)
    assert "differ from the figures" in edited.message

    measured = with_delivery / "figures.json"
    figures = json.loads(measured.read_text(encoding="utf-8"))
    del figures["broker_restarted"]
    measured.write_text(json.dumps(figures), encoding="utf-8")
    with pytest.raises(ValueError, match="no figures of broker_restarted"):
        write(with_delivery, measured)


def test_figures_of_an_older_page_layout_are_a_difference_not_a_crash(with_delivery: Path) -> None:
    page = with_delivery / delivery.PAGE
    page.write_text(
        f'{delivery.START}\n<!-- figures: {{"sources": "x"}} -->\n{delivery.END}\n',
        encoding="utf-8",
    )

    # The reliability page of the fixture has no figures; this test reads the other one.
    [problem] = [p for p in check_page(with_delivery) if p.path == delivery.PAGE]
    assert "differ from the figures" in problem.message
