"""Ordering's SQL adapters: tables, mapping, repository, unit of work, queries."""
