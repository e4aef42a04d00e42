"""What goes into ordering's use cases and queries (commands) and what comes out (views)."""
