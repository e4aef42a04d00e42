"""The shop's troubleshooting guide: an entry for every error, and none missing."""

import click
import pytest

from catalog.presentation.api import problems as catalog_problems
from identity.presentation.api import problems as identity_problems
from infrastructure_kernel.configuration_errors import ConfigurationError
from infrastructure_kernel.http.problems import ProblemTypes
from infrastructure_kernel.troubleshooting import UnexplainedError
from ordering.presentation.api import problems as ordering_problems
from shop.presentation.api.application import CONTEXT_PROBLEM_TYPES
from shop.presentation.api.problems import PROBLEM_TYPE_BASE, shop_problems
from shop.presentation.cli import troubleshooting
from shop.presentation.cli.troubleshooting import troubleshooting_guide
from tenancy.presentation.api import problems as tenancy_problems


def subclasses(base: type[Exception]) -> set[type[Exception]]:
    found = set(base.__subclasses__())
    return found.union(*(subclasses(cls) for cls in found))


def test_the_guide_has_every_problem_type_and_every_error_class() -> None:
    text = "\n".join(troubleshooting_guide())

    for kind in shop_problems(CONTEXT_PROBLEM_TYPES).kinds:
        assert f"`{PROBLEM_TYPE_BASE}{kind.slug}`" in text
    for slug in ("service-unavailable", "too-busy", "body-too-large", "unknown-host"):
        assert f"`{PROBLEM_TYPE_BASE}{slug}`" in text
    assert text.count("`about:blank`") == 5  # 400, 404, 405, 500 and the status stream's 503
    ours = [
        cls
        for cls in subclasses(click.ClickException) | subclasses(ConfigurationError)
        if cls.__module__.split(".")[0] in troubleshooting.PACKAGES
    ]
    assert len(ours) >= 20
    for cls in ours:
        assert f"**What you see:** `{cls.looks_like}`" in text  # type: ignore[attr-defined]
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Problem documents of the API",
        "## Errors of the command line",
        "## Configuration errors at start-up",
    ]


# --8<-- [start:unexplained-test]
class TeapotError(Exception):
    """A new error of a new context, registered without a remedy."""


def test_a_new_problem_type_without_a_remedy_stops_the_guide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake: ProblemTypes = {TeapotError: (418, "teapot", "I am a teapot")}
    catalogue = [*CONTEXT_PROBLEM_TYPES, fake]
    monkeypatch.setattr(troubleshooting, "CONTEXT_PROBLEM_TYPES", catalogue)

    with pytest.raises(UnexplainedError, match="problem type 'teapot'"):
        troubleshooting_guide()


# --8<-- [end:unexplained-test]


def test_each_contexts_remedies_are_its_problem_types_and_no_others() -> None:
    # The guide refuses a type without a remedy; this refuses a remedy without a type.
    # A context's outage answers with the kernel's type, whose remedy the kernel writes.
    kernels = {"service-unavailable"}
    for types, remedies in [
        (tenancy_problems.PROBLEM_TYPES, tenancy_problems.REMEDIES),
        (catalog_problems.PROBLEM_TYPES, catalog_problems.REMEDIES),
        (ordering_problems.PROBLEM_TYPES, ordering_problems.REMEDIES),
        (identity_problems.PROBLEM_TYPES, identity_problems.REMEDIES),
    ]:
        assert set(remedies) == {slug for _, slug, _ in types.values()} - kernels
        assert all(remedy.cause and remedy.fix for remedy in remedies.values())
