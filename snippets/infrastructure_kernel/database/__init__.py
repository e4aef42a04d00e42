"""The database building blocks: column types and tenant scoping of statements."""
