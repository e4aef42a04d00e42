"""Tenancy's application layer: the port of the tenant directory, and the view of a tenant."""
