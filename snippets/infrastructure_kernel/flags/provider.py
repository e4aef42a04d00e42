"""An OpenFeature provider that reads the flags from the layered configuration.

The code asks OpenFeature's client for a flag's value and never learns where it came
from; this provider answers from the flags the code declares and the rules the
configuration holds (:mod:`infrastructure_kernel.flags.rules`). Replacing it by a flag
service's provider changes the composition root, not one caller (ADR 60).
"""

from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypeVar

from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, Reason
from openfeature.provider import AbstractProvider, Metadata

from infrastructure_kernel.flags.definitions import FlagDefinition
from infrastructure_kernel.flags.rules import FlagRule, FlagRules

T = TypeVar("T")

ON, OFF = "on", "off"
"""The variants of a boolean flag, as the evaluation details report them."""


# --8<-- [start:provider]
class ConfiguredFlagProvider(AbstractProvider):
    """Boolean flags: each declared in code, each set (or not) in the configuration.

    The evaluation context's ``targeting_key`` is the tenant's id. A flag the
    configuration does not mention has its declared default; a flag nobody declared is
    OpenFeature's ``FLAG_NOT_FOUND``, and the caller gets the default it passed.
    """

    def __init__(self, flags: Collection[FlagDefinition], rules: FlagRules) -> None:
        """Answer for ``flags``, set by ``rules`` (the validated ``feature_flags`` setting)."""
        super().__init__()
        self._flags = {flag.key: flag for flag in flags}
        self._rules: Mapping[str, FlagRule] = dict(rules)

    def get_metadata(self) -> Metadata:
        """Name the provider, as OpenFeature's hooks and logs report it."""
        return Metadata(name="configuration")

    def resolve_boolean_details(
        self,
        flag_key: str,
        default_value: bool,  # noqa: FBT001 - OpenFeature's signature
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[bool]:
        """The flag's value for the context's tenant, and why it has it."""
        flag = self._flags.get(flag_key)
        if flag is None:
            return FlagResolutionDetails(
                default_value,
                error_code=ErrorCode.FLAG_NOT_FOUND,
                error_message=f"no flag {flag_key!r} is declared",
                reason=Reason.ERROR,
            )
        rule = self._rules.get(flag_key)
        if rule is None:
            return _details(flag.default, Reason.DEFAULT)
        tenant = evaluation_context.targeting_key if evaluation_context else None
        return _details(rule.is_on(flag_key, tenant), Reason.TARGETING_MATCH)

    # --8<-- [end:provider]

    # Every flag here is boolean: asking for another type is the caller's mistake.
    def resolve_string_details(
        self,
        flag_key: str,
        default_value: str,
        evaluation_context: EvaluationContext | None = None,  # noqa: ARG002 - OpenFeature's
    ) -> FlagResolutionDetails[str]:
        """Not a boolean: OpenFeature's ``TYPE_MISMATCH``, and the caller's default."""
        return _mismatch(flag_key, default_value)

    def resolve_integer_details(
        self,
        flag_key: str,
        default_value: int,
        evaluation_context: EvaluationContext | None = None,  # noqa: ARG002 - OpenFeature's
    ) -> FlagResolutionDetails[int]:
        """Not a boolean: OpenFeature's ``TYPE_MISMATCH``, and the caller's default."""
        return _mismatch(flag_key, default_value)

    def resolve_float_details(
        self,
        flag_key: str,
        default_value: float,
        evaluation_context: EvaluationContext | None = None,  # noqa: ARG002 - OpenFeature's
    ) -> FlagResolutionDetails[float]:
        """Not a boolean: OpenFeature's ``TYPE_MISMATCH``, and the caller's default."""
        return _mismatch(flag_key, default_value)

    def resolve_object_details(
        self,
        flag_key: str,
        default_value: Sequence[Any] | Mapping[str, Any],
        evaluation_context: EvaluationContext | None = None,  # noqa: ARG002 - OpenFeature's
    ) -> FlagResolutionDetails[Sequence[Any] | Mapping[str, Any]]:
        """Not a boolean: OpenFeature's ``TYPE_MISMATCH``, and the caller's default."""
        return _mismatch(flag_key, default_value)


def _details(value: bool, reason: Reason) -> FlagResolutionDetails[bool]:  # noqa: FBT001
    return FlagResolutionDetails(value, reason=reason, variant=ON if value else OFF)


def _mismatch(flag_key: str, default_value: T) -> FlagResolutionDetails[T]:
    return FlagResolutionDetails(
        default_value,
        error_code=ErrorCode.TYPE_MISMATCH,
        error_message=f"flag {flag_key!r} is boolean",
        reason=Reason.ERROR,
    )
