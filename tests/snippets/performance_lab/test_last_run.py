"""The lab's notebook, run on the committed data of the last ``nox -s lab``: its proof.

Importing the module runs every cell, as the site's build does; the tests then check what
its functions make of the data, and of small made-up data where a verdict must flip.
"""

from typing import Any

from matplotlib.figure import Figure

from performance_lab import last_run


def row(concurrency: int, rate: float) -> dict[str, Any]:
    return {"concurrency": concurrency, "requests_per_second": rate}


def test_every_goal_is_judged_at_the_goal_concurrency() -> None:
    data = last_run.lab_data("throughput")

    rows = last_run.goals(data)

    assert [r[0] for r in rows] == [s["name"] for s in data["scenarios"]]
    judged = [r for r in rows if r[4]]
    assert len(judged) == len(last_run.GOALS)
    assert all(r[5].startswith(("met,", "not met,")) for r in judged)


def test_a_ratio_is_met_at_its_goal_and_not_below() -> None:
    def scenario(key: str, shop: float) -> dict[str, Any]:
        return {"key": key, "name": key, "shop": [row(16, shop)], "fastapi": [row(16, 100.0)]}

    data = {"goal_concurrency": 16, "scenarios": [scenario("list", 20.0), scenario("read", 10.0)]}

    (listed, read) = last_run.goals(data)

    assert (listed[3], listed[5]) == ("0.200", "met, 100% of the goal")
    assert (read[3], read[5]) == ("0.100", "not met, 67% of the goal")


def test_the_cpu_split_adds_up_to_the_shops_cpu() -> None:
    data = last_run.lab_data("costs")

    for (bare, framework, shop), scenario in zip(
        last_run.cpu_split(data).values(), data["scenarios"], strict=True
    ):
        assert bare + framework + shop >= scenario["cpu_ms"]["shop"] - 1e-9
        assert min(bare, framework, shop) >= 0


def test_the_deep_page_goal_compares_the_largest_size_with_the_smallest() -> None:
    def size(orders: int, keyset: float, offset: float) -> dict[str, Any]:
        return {"orders": orders, "keyset": {"p99_ms": keyset}, "offset": {"p99_ms": offset}}

    flat = {"sizes": [size(1_000, 2.0, 2.0), size(1_000_000, 3.0, 400.0)]}
    steep = {"sizes": [size(1_000, 2.0, 2.0), size(1_000_000, 3.2, 400.0)]}

    assert "**1.50 times**" in last_run.deep_page_goal(flat)
    assert "met); by offset it is 200 times" in last_run.deep_page_goal(flat)
    assert "not met" in last_run.deep_page_goal(steep)


def test_every_figure_is_drawn_from_the_committed_data() -> None:
    throughput = last_run.lab_data("throughput")
    figures = [
        last_run.plot_throughput(throughput),
        last_run.plot_latency(throughput),
        last_run.plot_cpu(last_run.cpu_split(last_run.lab_data("costs"))),
        last_run.plot_pagination(last_run.lab_data("pagination")),
        last_run.plot_before_after(last_run.lab_data("costs-before"), last_run.lab_data("costs")),
    ]

    assert all(isinstance(figure, Figure) and figure.axes for figure in figures)
    assert len(last_run.refused(throughput)) == len(throughput["scenarios"])


def test_a_goal_not_met_is_explained_by_its_cpu_and_its_round_trips() -> None:
    def scenario(key: str, shop: float) -> dict[str, Any]:
        return {"key": key, "name": key, "shop": [row(16, shop)], "fastapi": [row(16, 100.0)]}

    def cost(key: str) -> dict[str, Any]:
        cpu = {"shop": 2.0, "fastapi": 0.25, "bare": 0.1}
        counts = {"statements": 2, "checkouts": 1, "transactions": 0, "round_trips": 3}
        return {"key": key, **counts, "cpu_ms": cpu}

    listed, read = scenario("list", 30.0), scenario("read", 10)
    data: dict[str, Any] = {"goal_concurrency": 16, "scenarios": [listed, read]}
    spent = {"scenarios": [cost("list"), cost("read")]}

    explained = last_run.shortfalls(data, spent)

    assert explained.startswith("- **read**: 0.100 of the ceiling against a goal of 0.15 (67%")
    assert "1.75 ms of it is the shop's own work, beside 2 statements on 1 pool" in explained
    assert "0 transactions, in 3 round trips to PostgreSQL" in explained
    assert "list" not in explained
    data["scenarios"] = [listed]
    assert last_run.shortfalls(data, spent) == "Every goal was met in this run."


def test_before_and_after_compare_the_three_endpoints_the_work_changed() -> None:
    def cost(key: str, count: float, shop_cpu: float) -> dict[str, Any]:
        counts = dict.fromkeys(("statements", "transactions", "checkouts", "round_trips"), count)
        cpu = {"shop": shop_cpu, "fastapi": 0.5, "bare": 0.25}
        return {"key": key, "name": key.title(), **counts, "cpu_ms": cpu}

    keys = ("list", "cached_list", "read", "place")
    old = {"scenarios": [cost(key, 12, 4.0) for key in keys]}
    new = {"scenarios": [cost(key, 1.5, 1.0) for key in reversed(keys)]}

    rows = last_run.before_after(old, new)

    assert [row[0] for row in rows] == ["Place", "Read", "List"]
    assert rows[0][1:] == ["12 → 1.5"] * 4 + ["4.00 → 1.00", "8.0 → 2.0"]
    assert len(last_run.plot_before_after(old, new).axes) == 6


def test_the_committed_runs_before_and_after_name_their_commits() -> None:
    before, after = last_run.lab_data("costs-before"), last_run.lab_data("costs")

    assert before["run"]["commit"] != after["run"]["commit"]
    assert "lab_commit" in before["run"]
    compared = {s["key"] for s in before["scenarios"]} & {s["key"] for s in after["scenarios"]}
    assert set(last_run.COMPARED) <= compared


def test_one_requests_round_trips_are_listed_by_their_messages() -> None:
    def cost(key: str, turns: list[str]) -> dict[str, Any]:
        return {"key": key, "name": key.title(), "turns": turns}

    old = {"scenarios": [cost("read", ["Q", "B E S", "Q"]), cost("graphql", [])]}
    new = {"scenarios": [cost("graphql", ["B E S"]), cost("read", ["B E S"])]}

    assert last_run.trips(old, new) == [["Read", "3: `Q` · `B E S` · `Q`", "1: `B E S`"]]
