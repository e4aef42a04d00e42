"""Use cases: one module per thing a user can do with the directory."""
