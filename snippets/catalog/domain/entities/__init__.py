"""The aggregates of the catalog: one module per aggregate root."""
