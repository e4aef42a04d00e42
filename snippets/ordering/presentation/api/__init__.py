"""Ordering's HTTP API: the orders router, its services port and its problem types."""
