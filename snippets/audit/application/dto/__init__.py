"""What goes into and comes out of audit's use cases and queries."""
