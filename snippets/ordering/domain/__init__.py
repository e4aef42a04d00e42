"""Ordering's domain model: orders, their lines and their lifecycle, free of I/O."""
