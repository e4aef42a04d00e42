"""The catalog's feature flags: each declared once, with its owner and its end date.

The configuration turns them on (the ``feature_flags`` setting of the deployable); the
endpoints ask for them through :data:`~infrastructure_kernel.http.flags.TenantFlagsDep`.
"""

from datetime import date

from infrastructure_kernel.flags.definitions import FlagDefinition

# --8<-- [start:catalog-flags]
HIDE_DISCONTINUED = FlagDefinition(
    key="hide-discontinued",
    description="The product list leaves out discontinued products; each stays readable.",
    owner="catalog team",
    # Once every tenant has it, the list filters always and the flag goes.
    expires=date(2027, 6, 30),
)

CATALOG_FLAGS = (HIDE_DISCONTINUED,)
"""Every flag of the catalog, for the deployable that composes it."""
# --8<-- [end:catalog-flags]
