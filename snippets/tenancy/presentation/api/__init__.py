"""Tenancy's HTTP API: the tenant resolution every context relies on, and ``/tenant``."""
