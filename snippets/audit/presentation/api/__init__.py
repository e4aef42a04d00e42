"""Audit's HTTP API."""
