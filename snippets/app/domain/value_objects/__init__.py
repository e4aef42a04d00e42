"""Value objects of the customer domain."""
