"""The shop's flags in its configuration: a wrong rule stops it; no flag outlives its date."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from infrastructure_kernel.flags.definitions import expired
from shop.presentation.cli.main import cli
from shop.settings import SHOP_FLAGS


def test_a_misspelt_flag_stops_the_shop_naming_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no shop.toml
    monkeypatch.delenv("FEATURE_FLAGS", raising=False)
    result = CliRunner().invoke(
        cli, ["--set", 'feature_flags={"hide-discontinud": {}}', "config", "show"], env={}
    )

    assert (result.exit_code, result.output) == (
        2,
        "Error: invalid setting feature_flags (option): Value error, no such flag:"
        " 'hide-discontinud' (flags: hide-discontinued)\n",
    )


# --8<-- [start:flag-hygiene-test]
def test_no_flag_of_the_shop_is_past_its_removal_date() -> None:
    today = datetime.now(UTC).date()
    overdue = [f"{flag.key} (owner: {flag.owner})" for flag in expired(SHOP_FLAGS, today)]
    assert not overdue, f"remove these flags, or agree a later date: {overdue}"


# --8<-- [end:flag-hygiene-test]
