"""The infrastructure kernel: what the contexts' adapters and drivers share, written once.

The shared kernel holds what every layer may use (values, errors, ports); this package
holds the building blocks of the outer layers only: the tracked repository and the
connection's unit of work, column types, tenant scoping of SQL statements, the outbox,
migrations and the readiness check (``database``), the cursor
codec of keyset pagination, what every HTTP API has at its edge (``http``: problem
documents, the body limit, health, the API root, the docs), what a command line
needs (``cli``: the runner, output, ``db upgrade``), and how events leave the outbox
(``messaging``: the envelope, the relay, the transports). Only
infrastructure and presentation layers and the deployables import it, and it imports
no context and no deployable; import-linter checks both. ADR 26 says what belongs here
and why.
"""
