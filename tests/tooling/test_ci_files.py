"""The publishing workflows: their steps are nox sessions, their settings what the site reads.

``nox -s lint`` validates both files against the schemas check-jsonschema bundles; these
tests check what a schema cannot: that publishing waits for everything nox checks, that
every step a workflow runs is one a contributor runs locally, and that the settings the
workflows pass are the ones ``mkdocs.yml`` reads (ADR 40).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".github" / "workflows" / "pages.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
ENV_TAG = re.compile(r"!ENV \[(\w+)")


def _load(path: Path) -> dict[Any, Any]:
    document: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return document


def _settings_the_site_reads() -> set[str]:
    return set(ENV_TAG.findall((ROOT / "mkdocs.yml").read_text(encoding="utf-8")))


def _commands(lines: list[str]) -> list[str]:
    """The programs a script runs, one per line."""
    return [line.split()[0] for line in lines if line.strip()]


def test_github_publishes_from_the_default_branch_only_after_nox_is_green() -> None:
    workflow = _load(GITHUB)
    steps = workflow["jobs"]["publish"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]

    # PyYAML reads the key `on` as True (YAML 1.1).
    assert workflow[True]["push"]["branches"] == ["main"]
    assert runs[0].strip() == "./noxw"
    assert runs[-1].strip().endswith("./noxw -s publish -- --push")
    assert set(_commands(runs[-1].splitlines())) == {"git", "./noxw"}
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_gitlab_publishes_from_the_default_branch_only_after_nox_is_green() -> None:
    job = _load(GITLAB)["pages"]
    script: list[str] = job["script"]

    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert script[0] == "./noxw"
    assert "./noxw -s publish" in script
    assert script.index("./noxw -s publish") > 0
    assert job["artifacts"]["paths"] == ["public"]
    assert "git archive" in script[-1]
    assert "public" in script[-1]


SESSION_SWITCHES = {"HANDBOOK_VERSION_PROVIDER": "mike", "HANDBOOK_OFFLINE": "true"}
"""Settings a nox session sets for its own build: publish's versions, offline's archive."""


def test_the_workflows_set_every_setting_the_site_reads_but_the_session_switches() -> None:
    reads = _settings_the_site_reads() - set(SESSION_SWITCHES)
    github = set(_load(GITHUB)["jobs"]["publish"]["env"])
    gitlab = set(_load(GITLAB)["pages"]["variables"])

    assert {"HANDBOOK_SITE_URL", "HANDBOOK_REPO_URL", "HANDBOOK_REPO_BLOB_URL"} <= reads
    assert reads <= github
    assert reads <= gitlab


@pytest.mark.parametrize(("setting", "value"), SESSION_SWITCHES.items())
def test_a_session_switch_is_set_by_its_session_alone(setting: str, value: str) -> None:
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")

    assert f'"{setting}": "{value}"' in noxfile
    assert setting in _settings_the_site_reads()
    assert setting not in GITHUB.read_text(encoding="utf-8")
    assert setting not in GITLAB.read_text(encoding="utf-8")
