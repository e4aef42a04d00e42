"""How the configuration sets a flag: on for everyone, for some tenants, or for a share.

A rule is data in the layered configuration (``shop.toml``, the environment, ``--set``),
so turning a flag on is a configuration change, reviewed and rolled back like one::

    [feature_flags.hide-discontinued]
    tenants = ["acme"]      # on for acme ...
    percentage = 10         # ... and for one tenant in ten

Which tenants fall into the percentage is decided by a hash of the flag's key and the
tenant's id: the same in every process and after every restart, and different for each
flag, so that the first ten per cent of one rollout are not always the same tenants.
"""

import hashlib
from collections.abc import Callable, Collection, Mapping
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from infrastructure_kernel.flags.definitions import FlagDefinition
from shared_kernel.errors import InvalidValueError
from shared_kernel.tenancy import TenantId


def _tenant_id(value: str) -> str:
    try:
        return TenantId(value).value
    except InvalidValueError as error:  # a ValueError is what pydantic reports as invalid
        raise ValueError(str(error)) from None


# --8<-- [start:flag-rule]
class FlagRule(BaseModel):
    """One flag's setting; the flag is on for a tenant when any of the three says so.

    Attributes:
        enabled: On for every tenant (and for work done for no tenant).
        tenants: On for these tenants.
        percentage: On for this share of the tenants, 0 to 100, chosen by a stable hash.
    """

    # Strict: `enabled = "no"` or `percentage = 12.5` is a mistake to report, not to coerce.
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: StrictBool = False
    tenants: tuple[Annotated[StrictStr, AfterValidator(_tenant_id)], ...] = ()
    percentage: StrictInt = Field(default=0, ge=0, le=100)

    def is_on(self, key: str, tenant: str | None) -> bool:
        """Whether the flag ``key`` is on for ``tenant`` (``None``: no tenant)."""
        if self.enabled:
            return True
        if tenant is None:
            return False
        return tenant in self.tenants or rollout_bucket(key, tenant) < self.percentage


def rollout_bucket(key: str, tenant: str) -> int:
    """The tenant's place in the flag's rollout, 0 to 99, the same in every process."""
    digest = hashlib.sha256(f"{key}\0{tenant}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100


# --8<-- [end:flag-rule]


# --8<-- [start:flag-rules]
FlagRules = Mapping[str, FlagRule]
"""The ``feature_flags`` setting: each flag's rule, by the flag's key."""


def known_flags(flags: Collection[FlagDefinition]) -> Callable[[FlagRules], FlagRules]:
    """A validator that refuses a rule for a flag the code does not declare.

    A misspelt key would otherwise be a rule that switches nothing, without a word.
    """
    keys = {flag.key for flag in flags}

    def check(rules: FlagRules) -> FlagRules:
        unknown = sorted(set(rules) - keys)
        if unknown:
            known = ", ".join(sorted(keys)) or "none"
            raise ValueError(f"no such flag: {', '.join(map(repr, unknown))} (flags: {known})")
        return rules

    return check


# --8<-- [end:flag-rules]
