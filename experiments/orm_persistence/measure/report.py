"""Write the measured figures into ADR 24, between its ``<!-- figures:NAME -->`` markers.

``python -m measure.report`` reads ``results/*.json`` and replaces each marked block of
the ADR with a table rendered from them, each with the date, command and commit that
produced it. Nobody types a figure; run the measurement again and this again.
"""

import json
import re
from collections.abc import Callable
from typing import Any

from measure.provenance import RESULTS, ROOT

ADR = next((ROOT / "adr").glob("0024-*.md"))
BLOCK = re.compile(r"(<!-- figures:(?P<name>[a-z-]+) -->\n).*?(<!-- /figures:(?P=name) -->)", re.S)


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def _source(*documents: dict[str, Any]) -> str:
    lines = []
    for document in documents:
        p = document["provenance"]
        edited = "" if p["clean"] else " (with uncommitted edits)"
        lines.append(
            f"Measured {p['date']} on {p['machine']}, commit `{p['commit']}`{edited}:"
            f" `{p['command']}`."
        )
    return "<small>" + "<br>".join(lines) + "</small>\n"


def _ratio(orm: float, core: float) -> str:
    return f"{orm / core:.2f}" if core else "n/a"


def loc() -> str:
    """Lines of code of the persistence machinery."""
    figures = _load("loc")
    titles = {
        "core": "Core today, shop",
        "template": "Core today, template",
        "orm": "ORM, shop",
        "core_kernel": "Core kernel, shop",
    }
    rows = [
        f"| {title} | {part['label']} | {part['code']} |"
        for side, title in titles.items()
        for part in figures[side]["parts"]
    ]
    totals = "; ".join(f"{titles[side]}: **{figures[side]['code']}**" for side in titles)
    return (
        "| Way | Part | Lines of code |\n|---|---|---:|\n"
        + "\n".join(rows)
        + f"\n\nTotals: {totals} (cloc {figures['cloc'].split()[-1]}).\n\n"
        + _source(figures)
    )


NAMES = {"core": "Core", "orm": "ORM", "core_kernel": "Core kernel"}


def _present(persistences: dict[str, Any]) -> list[str]:
    return [p for p in NAMES if p in persistences]


def statements() -> str:
    """Statements, transactions, checkouts and round trips per use case."""
    documents = {
        p: _load(f"statements-{p}") for p in NAMES if (RESULTS / f"statements-{p}.json").exists()
    }
    shown = list(documents)
    rows = []
    for name, counted in documents["core"]["use_cases"].items():
        per = [documents[p]["use_cases"][name] for p in shown]
        cells = [
            " / ".join(str(mine[key]) for mine in per)
            for key in ("statements", "transactions", "checkouts", "round_trips")
        ]
        same = "same" if all(mine["sql"] == counted["sql"] for mine in per) else "differs"
        rows.append(f"| {name} | {' | '.join(cells)} | {same} |")
    return (
        "| Use case | Statements | Transactions | Pool checkouts | Round trips | SQL text |\n"
        "|---|---:|---:|---:|---:|---|\n" + "\n".join(rows) + "\n\n"
        f'Each cell: {" / ".join(NAMES[p] for p in shown)}. "SQL text" compares the'
        " statements' first 80 characters.\n\n" + _source(*documents.values())
    )


def instructions() -> str:
    """Instructions per call under valgrind."""
    figures = _load("instructions")
    shown = _present(next(iter(figures["per_call"].values())))
    head = " | ".join(NAMES[p] for p in shown)
    rows = [
        f"| {name} | "
        + " | ".join(f"{by[p] / 1e6:.2f} M" for p in shown)
        + f" | {_ratio(by['orm'], by['core'])} |"
        for name, by in figures["per_call"].items()
    ]
    settings = figures["settings"]
    return (
        f"| Use case | {head} | ORM / Core |\n|---|"
        + "---:|" * (len(shown) + 1)
        + "\n"
        + "\n".join(rows)
        + "\n\n"
        + (
            "One pair of processes per figure"
            if settings["repeats"] == 1
            else f"The median of {settings['repeats']} pairs of processes per figure"
        )
        + f", {settings['calls']} calls each; {settings['valgrind']}.\n\n"
        + _source(figures)
    )


def cpu() -> str:
    """CPU time per use case in the application process."""
    figures = _load("cpu")
    shown = _present(next(iter(figures["medians_us"].values())))
    head = " | ".join(f"{NAMES[p]}, lower quartile" for p in shown)
    rows = [
        f"| {name} | "
        + " | ".join(f"{by[p]['p25']:,.0f} µs" for p in shown)
        + f" | {_ratio(by['orm']['p25'], by['core']['p25'])}"
        + f" | {_ratio(by['orm']['median'], by['core']['median'])} |"
        for name, by in figures["medians_us"].items()
    ]
    settings = figures["settings"]
    return (
        f"| Use case | {head} | ORM / Core, lower quartile | ORM / Core, median |\n|---|"
        + "---:|" * (len(shown) + 2)
        + "\n"
        + "\n".join(rows)
        + f"\n\n{settings['rounds']} rounds of one process per persistence, {settings['repeat']}"
        " calls per use case each.\n\n" + _source(figures)
    )


def bench() -> str:
    """Requests per second and CPU per request over HTTP."""
    figures = _load("bench")
    rows = []
    for scenario, by in figures["medians"].items():
        core, orm = by["core"], by["orm"]
        rows.append(
            f"| {scenario} | {core['rps']:,.0f} | {orm['rps']:,.0f}"
            f" | {_ratio(orm['rps'], core['rps'])}"
            f" | {core['cpu_ms_per_request']:.2f} | {orm['cpu_ms_per_request']:.2f}"
            f" | {_ratio(orm['cpu_ms_per_request'], core['cpu_ms_per_request'])}"
            f" | {core['p99_ms']:.0f} / {orm['p99_ms']:.0f} |"
        )
    runs = figures["runs"]
    loads = sorted(run["load_average_before"] for run in runs)
    settings = figures["settings"]
    errors = sum(run["non_2xx"] + run["socket_errors"] for run in runs)
    return (
        "| Endpoint | Core req/s | ORM req/s | ORM / Core | Core CPU ms/req | ORM CPU ms/req"
        " | ORM / Core | p99 ms, Core / ORM |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
        + "\n".join(rows)
        + f"\n\nMedians of {settings['rounds']} interleaved rounds;"
        f" {settings['load'].removeprefix('wrk ')},"
        f" {settings['threads']} threads, {settings['connections']} connections,"
        f" {settings['seconds']:g} s after {settings['warmup']:g} s of warm-up;"
        f" {settings['server']}."
        f" Non-2xx responses and socket errors in all runs: {errors}. The machine's"
        f" one-minute load average before a run was {loads[0]:.1f} to {loads[-1]:.1f}"
        " (2 cores, shared with other work).\n\n" + _source(figures)
    )


def races() -> str:
    """How racing requests were answered: successes, conflicts, refused transitions."""
    figures = _load("races")
    rows = []
    tests = next(iter(figures["tallies"].values()))
    for test in tests:
        for persistence in _present(figures["tallies"]):
            tally = figures["tallies"][persistence][test]
            won = sum(n for outcome, n in tally.items() if outcome.split(": ")[1][0] == "2")
            lost = sum(n for outcome, n in tally.items() if outcome.endswith("edit-conflict"))
            other = {
                outcome.split(": ")[1]: n
                for outcome, n in tally.items()
                if outcome.split(": ")[1][0] != "2" and not outcome.endswith("edit-conflict")
            }
            refused = ", ".join(f"{what}: {n}" for what, n in sorted(other.items())) or "none"
            rows.append(f"| `{test}` | {NAMES[persistence]} | {won} | {lost} | {refused} |")
    return (
        "| Race (backend) | Persistence | 2xx | 409 edit-conflict | Other answers |\n"
        "|---|---|---:|---:|---|\n"
        + "\n".join(rows)
        + f"\n\nAdded up over {figures['settings']['rounds']} rounds of the test module; no"
        " answer in any round was anything but a 2xx or a 409 problem.\n\n" + _source(figures)
    )


def suites() -> str:
    """How long the shop's suites take on each persistence, and what pytest said."""
    figures = _load("suites")
    rows = []
    for suite, by in figures["medians"].items():
        for persistence in _present(by):
            said = next(
                r["pytest"]
                for r in figures["runs"]
                if (r["suite"], r["persistence"]) == (suite, persistence)
            )
            rows.append(
                f"| {suite} | {NAMES[persistence]} | {by[persistence]['wall_s']:.1f} s"
                f" | {by[persistence]['cpu_s']:.1f} s | {said} |"
            )
    return (
        "| Suite | Persistence | Wall time | CPU time | pytest said (first round) |\n"
        "|---|---|---:|---:|---|\n"
        + "\n".join(rows)
        + f"\n\nMedians of {figures['settings']['rounds']} rounds, the order rotating.\n\n"
        + _source(figures)
    )


RENDERERS: dict[str, Callable[[], str]] = {
    "loc": loc,
    "statements": statements,
    "instructions": instructions,
    "cpu": cpu,
    "bench": bench,
    "races": races,
    "suites": suites,
}


def main() -> None:
    """Fill every marked block of the ADR whose results exist; name those that do not."""
    text = ADR.read_text(encoding="utf-8")
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in RENDERERS:
            raise SystemExit(f"report: {ADR.name} marks figures {name!r}, which nothing renders")
        try:
            return match[1] + "\n" + RENDERERS[name]() + "\n" + match[3]
        except FileNotFoundError:
            missing.append(name)
            return match[0]

    ADR.write_text(BLOCK.sub(fill, text), encoding="utf-8")
    print(f"report: wrote the figures into {ADR.relative_to(ROOT)}")
    if missing:
        raise SystemExit(f"report: no results yet for {', '.join(missing)}")


if __name__ == "__main__":
    main()
