"""The catalog's read cache: its adapters, the queries that read through it, its invalidation."""
