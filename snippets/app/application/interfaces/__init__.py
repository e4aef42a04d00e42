"""Ports the application needs, implemented by the infrastructure layer."""
