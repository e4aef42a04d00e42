"""The ports notifications needs."""
