"""Tenancy's adapters: the tenant directory on SQLAlchemy Core, under ``database``."""
