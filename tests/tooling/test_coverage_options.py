"""A proving run's options and environment: coverage per test, no backing services."""

from __future__ import annotations

from pathlib import Path

from handbook.coverage_options import SERVICE_URLS, coverage_arguments, proof_environment


def test_a_proving_run_records_a_context_per_test_and_where_each_test_is(tmp_path: Path) -> None:
    assert coverage_arguments(tmp_path) == [
        "--cov",
        "--cov-context=test",
        "--cov-report=",
        f"--handbook-locations={tmp_path / 'tests.json'}",
    ]


def test_a_proving_run_sees_no_service_url_and_keeps_everything_else(tmp_path: Path) -> None:
    base = {
        "PATH": "/usr/bin",
        "CI": "true",
        "DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/test",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",
    }

    environment = proof_environment(base, tmp_path / ".coverage")

    assert environment == {
        "PATH": "/usr/bin",
        "CI": "true",
        "COVERAGE_FILE": str(tmp_path / ".coverage"),
    }
    assert set(SERVICE_URLS) <= set(base)  # every URL a deployment configures is withheld
