"""The ``tenants`` table and the tenant directory on it."""
