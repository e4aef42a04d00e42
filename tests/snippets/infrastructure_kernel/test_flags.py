"""Feature flags: declared in code, set by the configuration, evaluated through OpenFeature."""

import json
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ClassVar

import pytest
from fastapi import FastAPI, Request
from hypothesis import given, settings
from hypothesis import strategies as st
from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import Reason
from pydantic import AfterValidator, Field
from pydantic_settings import SettingsConfigDict

from infrastructure_kernel.configuration import (
    LayeredSettings,
    configure,
    toml_value,
)
from infrastructure_kernel.configuration_errors import ConfigurationError
from infrastructure_kernel.flags.client import flag_client
from infrastructure_kernel.flags.definitions import FlagDefinition, expired
from infrastructure_kernel.flags.provider import ConfiguredFlagProvider
from infrastructure_kernel.flags.rules import FlagRule, known_flags, rollout_bucket
from infrastructure_kernel.http.flags import request_flags
from infrastructure_kernel.http.hostile_input import hostile_text, hostile_values

DARK_MODE = FlagDefinition("dark-mode", "Pages are dark.", "web team", date(2030, 1, 1))
BETA = FlagDefinition("beta", "Beta features.", "web team", date(2030, 1, 1), default=True)
FLAGS = (DARK_MODE, BETA)


class Example(LayeredSettings):
    model_config = SettingsConfigDict(env_prefix="EXAMPLE_", extra="ignore")
    config_file_variable: ClassVar[str] = "EXAMPLE_CONFIG"
    profile_variable: ClassVar[str] = "EXAMPLE_PROFILE"
    default_config_file: ClassVar[str] = "example.toml"

    feature_flags: Annotated[dict[str, FlagRule], AfterValidator(known_flags(FLAGS))] = Field(
        default_factory=dict
    )


@pytest.fixture(autouse=True)
def empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("EXAMPLE_FEATURE_FLAGS", "EXAMPLE_CONFIG", "EXAMPLE_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


# --- Definitions and their hygiene ------------------------------------------------------


@pytest.mark.parametrize("key", ["", "Dark-Mode", "dark_mode", "dark--mode", "-dark", "a.b", "é"])
def test_a_flag_key_is_lower_case_words_joined_by_hyphens(key: str) -> None:
    with pytest.raises(ValueError, match="lower-case words"):
        FlagDefinition(key, "What it does.", "a team", date(2030, 1, 1))


def test_a_flag_past_its_removal_date_is_expired() -> None:
    old = FlagDefinition("old-thing", "Something done.", "a team", date(2024, 12, 31))

    assert expired([*FLAGS, old], today=date(2025, 1, 1)) == [old]
    assert expired([*FLAGS, old], today=date(2024, 12, 31)) == []


# --- Rules --------------------------------------------------------------------------------


def test_a_rule_is_on_for_everyone_for_its_tenants_or_for_its_share() -> None:
    assert FlagRule(enabled=True).is_on("dark-mode", None)
    assert FlagRule(enabled=True).is_on("dark-mode", "acme")
    assert FlagRule(tenants=("acme",)).is_on("dark-mode", "acme")
    assert not FlagRule(tenants=("acme",)).is_on("dark-mode", "globex")
    assert not FlagRule(tenants=("acme",), percentage=100).is_on("dark-mode", None)
    assert FlagRule(percentage=100).is_on("dark-mode", "globex")
    assert not FlagRule(percentage=0).is_on("dark-mode", "globex")
    assert not FlagRule().is_on("dark-mode", "acme")


def test_a_percentage_picks_that_share_of_tenants_the_same_way_every_time() -> None:
    tenants = [f"tenant-{number}" for number in range(2000)]
    rule = FlagRule(percentage=30)

    on = [tenant for tenant in tenants if rule.is_on("dark-mode", tenant)]

    assert 0.25 < len(on) / len(tenants) < 0.35
    assert on == [tenant for tenant in tenants if rule.is_on("dark-mode", tenant)]
    # Each flag its own order: a rollout's first tenants are not always the same ones.
    assert on != [tenant for tenant in tenants if rule.is_on("beta", tenant)]
    buckets = Counter(rollout_bucket("dark-mode", tenant) // 10 for tenant in tenants)
    assert set(buckets) == set(range(10))


def test_raising_the_percentage_only_adds_tenants() -> None:
    tenants = [f"tenant-{number}" for number in range(500)]

    def share(percentage: int) -> set[str]:
        return {t for t in tenants if FlagRule(percentage=percentage).is_on("dark-mode", t)}

    assert share(10) <= share(20) <= share(90)
    assert share(0) == set()
    assert share(100) == set(tenants)


# --- The provider, through OpenFeature's client ---------------------------------------------


def evaluate(rules: dict[str, FlagRule], key: str, tenant: str | None) -> Any:
    client = flag_client(ConfiguredFlagProvider(FLAGS, rules))
    return client.get_boolean_details(key, False, EvaluationContext(targeting_key=tenant))


def test_a_flag_the_configuration_does_not_mention_has_its_default() -> None:
    details = evaluate({}, "beta", "acme")

    assert (details.value, details.reason, details.variant) == (True, Reason.DEFAULT, "on")


def test_a_configured_flag_is_evaluated_for_the_contexts_tenant() -> None:
    rules = {"dark-mode": FlagRule(tenants=("acme",))}

    acme, globex = evaluate(rules, "dark-mode", "acme"), evaluate(rules, "dark-mode", "globex")

    assert (acme.value, acme.reason, acme.variant) == (True, Reason.TARGETING_MATCH, "on")
    assert (globex.value, globex.variant) == (False, "off")
    assert not evaluate(rules, "dark-mode", None).value


def test_an_undeclared_flag_is_not_found_and_the_callers_default_holds() -> None:
    client = flag_client(ConfiguredFlagProvider(FLAGS, {}))

    details = client.get_boolean_details("no-such-flag", True)

    assert (details.value, details.error_code) == (True, ErrorCode.FLAG_NOT_FOUND)


def test_every_flag_is_boolean_and_other_types_get_the_callers_default() -> None:
    client = flag_client(ConfiguredFlagProvider(FLAGS, {"beta": FlagRule(enabled=True)}))

    answers = [
        client.get_string_details("beta", "no"),
        client.get_integer_details("beta", 7),
        client.get_float_details("beta", 0.5),
        client.get_object_details("beta", {"a": 1}),
    ]

    assert [answer.value for answer in answers] == ["no", 7, 0.5, {"a": 1}]
    assert {answer.error_code for answer in answers} == {ErrorCode.TYPE_MISMATCH}
    assert client.provider.get_metadata().name == "configuration"


def test_two_clients_in_one_process_answer_with_their_own_configuration() -> None:
    on = flag_client(ConfiguredFlagProvider(FLAGS, {"dark-mode": FlagRule(enabled=True)}))
    off = flag_client(ConfiguredFlagProvider(FLAGS, {}))

    assert on.get_boolean_value("dark-mode", False)
    assert not off.get_boolean_value("dark-mode", False)


@pytest.mark.anyio
async def test_an_endpoint_without_a_flag_client_on_the_app_is_a_type_error() -> None:
    request = Request({"type": "http", "app": FastAPI(), "headers": []})

    with pytest.raises(TypeError, match=r"app\.state\.flags must be an OpenFeatureClient"):
        await request_flags(request)


# --- Rules in the configuration -----------------------------------------------------------


def test_a_flag_is_set_in_the_file_the_environment_or_an_option(
    empty_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (empty_directory / "example.toml").write_text(
        '[feature_flags.dark-mode]\ntenants = ["acme"]\npercentage = 5\n', encoding="utf-8"
    )
    from_file = configure(Example, {})
    monkeypatch.setenv("EXAMPLE_FEATURE_FLAGS", '{"beta": {"enabled": false}}')
    from_env = configure(Example, {})
    from_option = configure(Example, {"feature_flags": '{"dark-mode": {"enabled": true}}'})

    assert from_file.settings.feature_flags == {
        "dark-mode": FlagRule(tenants=("acme",), percentage=5)
    }
    # A layer's table merges into the tables below it, flag by flag and key by key.
    assert from_env.settings.feature_flags == {
        "dark-mode": FlagRule(tenants=("acme",), percentage=5),
        "beta": FlagRule(),
    }
    assert from_env.origins["feature_flags"] == "env:EXAMPLE_FEATURE_FLAGS"
    assert from_option.settings.feature_flags == {
        "dark-mode": FlagRule(enabled=True, tenants=("acme",), percentage=5),
        "beta": FlagRule(),
    }
    assert from_option.origins["feature_flags"] == "option"


@pytest.mark.parametrize(
    ("rules", "reason"),
    [
        ('{"dark-mod": {}}', "no such flag: 'dark-mod' (flags: beta, dark-mode)"),
        ('{"dark-mode": {"percentage": 101}}', "dark-mode.percentage: Input should be less"),
        ('{"dark-mode": {"percentage": 12.5}}', "dark-mode.percentage: Input should be a valid"),
        ('{"dark-mode": {"enabled": "yes"}}', "dark-mode.enabled: Input should be a valid bool"),
        ('{"dark-mode": {"tenants": ["Acme"]}}', "dark-mode.tenants.0: Value error, not a tenant"),
        ('{"dark-mode": {"tenant": ["acme"]}}', "dark-mode.tenant: Extra inputs are not permitted"),
        ('{"dark-mode": true}', "dark-mode: Input should be a valid dictionary"),
        ("[1, 2]", "Input should be a valid dictionary"),
        ("dark-mode=on", "not a JSON value of the setting's type"),
    ],
)
def test_a_wrong_rule_is_one_line_naming_the_setting_and_the_flag(rules: str, reason: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        configure(Example, {"feature_flags": rules})

    assert str(refused.value).startswith("invalid setting feature_flags (option): ")
    assert reason in str(refused.value)


# --8<-- [start:hostile-flags]
RULE_FIELDS = st.sampled_from(["enabled", "tenants", "percentage"]) | hostile_text(max_size=20)
HOSTILE_RULES = st.dictionaries(
    st.sampled_from(["dark-mode", "beta"]) | hostile_text(max_size=40),
    st.dictionaries(RULE_FIELDS, hostile_values(), max_size=3) | hostile_values(),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(rules=HOSTILE_RULES)
def test_any_flag_rules_configure_or_are_one_line_naming_the_setting(rules: Any) -> None:
    # As --set or a variable gives them: JSON text (escaped, so any string survives).
    try:
        configured = configure(Example, {"feature_flags": json.dumps(rules)})
    except ConfigurationError as refused:
        message = str(refused)
        assert message.startswith("invalid setting feature_flags (option): "), message
        assert message.splitlines() == [message]
    else:
        assert set(configured.settings.feature_flags) <= {"dark-mode", "beta"}


# --8<-- [end:hostile-flags]


def test_a_rules_table_is_written_back_as_toml_that_reads_the_same() -> None:
    configured = configure(
        Example,
        {"feature_flags": '{"dark-mode": {"tenants": ["acme", "globex"], "percentage": 5}}'},
    )
    text = configured.file_text()

    assert text == (
        'feature_flags = {"dark-mode" = {"enabled" = false, "tenants" = ["acme", "globex"],'
        ' "percentage" = 5}}\n'
    )
    assert Example(**tomllib.loads(text)) == configured.settings
    assert toml_value({"a b": ["\x7f"]}) == '{"a b" = ["\\u007f"]}'
