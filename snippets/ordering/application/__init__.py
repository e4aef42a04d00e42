"""Ordering's application layer: use cases, their DTOs and errors, and the ports they need."""
