"""Each exported example carries CI templates that are valid and run its own tests.

The GitHub Actions workflow and the GitLab CI pipeline are validated against the schemas
check-jsonschema ships (``vendor.github-workflows``, ``vendor.gitlab-ci``), offline, as
they are in the exported project; the README names both.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from handbook.examples import plan_export
from handbook.paths import repository_root

ROOT = repository_root()
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "pyproject.toml").is_file())
TEMPLATES = {
    ".github/workflows/tests.yml": "vendor.github-workflows",
    ".gitlab-ci.yml": "vendor.gitlab-ci",
}
INSTALL = "python -m pip install --group test ."
POSTGRESQL = "postgresql+asyncpg://postgres:postgres@"


def exported(example: str, directory: Path) -> Path:
    """Write the example's exported README, pyproject and CI templates into ``directory``."""
    wanted = {"README.md", "pyproject.toml", *TEMPLATES}
    for file in plan_export(ROOT, example):
        if file.destination in wanted:
            target = directory / file.destination
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
    return directory


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this Python, the test's own arguments
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_export_carries_valid_ci_templates_its_readme_names(
    example: str, tmp_path: Path
) -> None:
    project = exported(example, tmp_path)

    readme = (project / "README.md").read_text(encoding="utf-8")
    for template, schema in TEMPLATES.items():
        assert f"`{template}`" in readme
        result = check_jsonschema(schema, project / template)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("example", EXAMPLES)
def test_both_pipelines_install_the_test_group_and_run_the_suite_on_both_databases(
    example: str, tmp_path: Path
) -> None:
    project = exported(example, tmp_path)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert "pytest>=8.4" in pyproject["dependency-groups"]["test"]

    workflow = yaml.safe_load((project / ".github/workflows/tests.yml").read_text("utf-8"))
    job = workflow["jobs"]["tests"]
    commands = [step.get("run", "") for step in job["steps"]]
    assert any(INSTALL in command for command in commands)
    on_sqlite, on_postgresql = (s for s in job["steps"] if s.get("run") == "python -m pytest")
    assert "env" not in on_sqlite
    assert on_postgresql["env"]["DATABASE_URL"].startswith(POSTGRESQL)
    assert job["services"]["postgres"]["image"].startswith("postgres:")

    pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text("utf-8"))
    script = pipeline["tests"]["script"]
    assert INSTALL in script
    assert script[-2:] == [
        "python -m pytest",
        f"DATABASE_URL={POSTGRESQL}postgres:5432/test python -m pytest",
    ]
    assert pipeline["tests"]["services"][0]["alias"] == "postgres"


@pytest.mark.parametrize(
    ("template", "line", "broken"),
    [
        (".github/workflows/tests.yml", "runs-on: ubuntu-24.04", "runs-on: 5"),
        (".gitlab-ci.yml", "timeout: 15 minutes", "timeout: [15]"),
    ],
)
def test_a_broken_template_fails_its_schema(
    template: str, line: str, broken: str, tmp_path: Path
) -> None:
    path = exported("shop", tmp_path) / template
    text = path.read_text("utf-8")
    assert line in text
    path.write_text(text.replace(line, broken), "utf-8")

    result = check_jsonschema(TEMPLATES[template], path)

    assert result.returncode == 1
    assert "Schema validation errors were encountered." in result.stdout


def test_the_shops_pipelines_lint_type_check_and_push_the_image_only_after_the_tests(
    tmp_path: Path,
) -> None:
    project = exported("shop", tmp_path)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert {"lint", "types"} <= set(pyproject["dependency-groups"])
    assert pyproject["tool"]["mypy"]["strict"] is True

    workflow = yaml.safe_load((project / ".github/workflows/tests.yml").read_text("utf-8"))
    jobs = workflow["jobs"]
    run = {name: [step.get("run", "") for step in job["steps"]] for name, job in jobs.items()}
    assert "ruff check ." in run["lint"]
    assert "lint-imports" in run["lint"]
    assert "mypy" in run["types"]
    assert jobs["image"]["needs"] == ["lint", "types", "tests"]
    assert jobs["image"]["permissions"]["packages"] == "write"
    built = "\n".join(run["image"])
    assert "pip wheel --wheel-dir dist ." in built
    assert "docker build --file Containerfile" in built
    assert "docker push" in built

    pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text("utf-8"))
    assert pipeline["stages"] == ["check", "test", "image"]
    assert "ruff check ." in pipeline["lint"]["script"]
    assert "mypy" in pipeline["types"]["script"]
    assert pipeline["push-image"]["needs"] == ["wheels"]
    assert pipeline["wheels"]["artifacts"]["paths"] == ["dist/"]
    assert any("docker push" in line for line in pipeline["push-image"]["script"])
    for job in ("wheels", "push-image"):  # from the default branch only
        assert pipeline[job]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
