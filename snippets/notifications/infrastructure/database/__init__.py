"""Notifications' table."""
