"""Audit's commands."""
