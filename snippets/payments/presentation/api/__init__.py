"""Payments' HTTP API."""
