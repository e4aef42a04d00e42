"""The catalog's HTTP API: the products router, its services port and its problem types."""
