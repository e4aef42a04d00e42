"""Entities and aggregates of the customer domain."""
