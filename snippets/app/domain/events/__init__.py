"""Domain events of the customer domain."""
