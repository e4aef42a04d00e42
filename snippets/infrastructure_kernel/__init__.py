"""The infrastructure kernel: what the contexts' adapters and drivers share, written once.

The shared kernel holds what every layer may use (values, errors, ports); this package
holds the building blocks of the outer layers only: column types and tenant scoping of
SQL statements (``database``), the cursor codec of keyset pagination, and what a
context's command line needs from the deployable that runs it (``cli``). Only
infrastructure and presentation layers and the deployables import it, and it imports
no context and no deployable; import-linter checks both. ADR 26 says what belongs here
and why.
"""
