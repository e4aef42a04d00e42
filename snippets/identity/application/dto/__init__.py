"""What goes into identity's use cases and what comes out."""
