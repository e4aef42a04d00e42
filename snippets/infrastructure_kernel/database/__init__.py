"""The database building blocks: tracked aggregates, the unit of work, columns, scopes."""
