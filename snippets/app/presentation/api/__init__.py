"""The HTTP API, built with FastAPI."""
