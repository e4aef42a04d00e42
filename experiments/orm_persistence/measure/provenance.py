"""Where a figure came from: the date, the command, the commit and the machine."""

import json
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handbook.timings import machine

EXPERIMENT = Path(__file__).resolve().parents[1]
ROOT = EXPERIMENT.parents[1]
RESULTS = EXPERIMENT / "results"


def _git(*arguments: str) -> str:
    return subprocess.run(  # noqa: S603 - git, with fixed arguments
        ["git", *arguments],  # noqa: S607 - git from the PATH, as a developer runs it
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def provenance() -> dict[str, Any]:
    """Describe this run; ``clean`` is False when code under measurement was edited."""
    edited = _git("status", "--porcelain", "--", "snippets", "experiments/orm_persistence")
    # The figures, the report that renders them and the README change no measurement.
    unmeasured = ("/results/", "/measure/report.py", "/README.md")
    code_edits = [line for line in edited.splitlines() if not any(u in line for u in unmeasured)]
    return {
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "command": shlex.join(["python", "-m", *_module_and_arguments()]),
        "commit": _git("rev-parse", "--short=12", "HEAD"),
        "clean": not code_edits,
        "machine": machine(),
    }


def _module_and_arguments() -> list[str]:
    main = sys.modules["__main__"]
    spec = getattr(main, "__spec__", None)
    return [spec.name if spec else sys.argv[0], *sys.argv[1:]]


def write(name: str, figures: dict[str, Any]) -> Path:
    """Write ``results/NAME.json``: the figures and where they came from."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {"provenance": provenance(), **figures}
    path.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path
