"""Audit's use cases."""
