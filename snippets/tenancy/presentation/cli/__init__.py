"""Tenancy's command line: the ``tenants`` group."""
