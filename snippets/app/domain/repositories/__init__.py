"""Repository ports of the customer domain."""
