"""What goes into the catalog's use cases and queries (commands) and what comes out (views)."""
