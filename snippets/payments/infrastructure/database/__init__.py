"""Payments' tables and repository, on SQLAlchemy Core."""
