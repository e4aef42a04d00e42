"""The handbook engine."""
