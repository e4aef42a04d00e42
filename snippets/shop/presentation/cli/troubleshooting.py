"""The shop's troubleshooting guide, built from every error the shop can emit.

Three kinds: the problem documents its API answers with, the errors its command line
prints, and the configuration errors that stop it at start-up. Each is found where it
is declared, with the cause and fix written beside it; the documentation build calls
:func:`troubleshooting_guide` and fails while one of them has none.
"""

import click

# The app's and the command line's modules, for the errors they declare.
import shop.presentation.cli.main  # noqa: F401 - loaded for its commands' error classes
from infrastructure_kernel.configuration_errors import ConfigurationError
from infrastructure_kernel.troubleshooting import (
    declared_problem_types,
    error_entries,
    guide_markdown,
    problem_entries,
)
from shop.presentation.api.application import CONTEXT_PROBLEM_TYPES
from shop.presentation.api.problems import PROBLEM_TYPE_BASE, shop_problems

# --8<-- [start:shop-guide]
PACKAGES = (
    "infrastructure_kernel",
    "tenancy",
    "identity",
    "catalog",
    "ordering",
    "payments",
    "notifications",
    "audit",
    "shop",
)
"""Where the shop's errors are declared: the kernel, the contexts and the platform."""


def troubleshooting_guide() -> list[str]:
    """The guide as Markdown, from the app's catalogue and the modules the shop loads.

    Raises:
        UnexplainedError: An error has no cause and fix written beside it.
    """
    catalogue = shop_problems(CONTEXT_PROBLEM_TYPES)
    declared, remedies = declared_problem_types(PACKAGES)
    return guide_markdown(
        {
            "Problem documents of the API": problem_entries(
                [*catalogue.kinds, *declared], PROBLEM_TYPE_BASE, remedies
            ),
            "Errors of the command line": error_entries(click.ClickException, PACKAGES),
            "Configuration errors at start-up": error_entries(ConfigurationError, PACKAGES),
        }
    )


# --8<-- [end:shop-guide]
