"""What goes into payments' use cases and what comes out."""
