"""The catalog's application layer: use cases, their DTOs, and the ports they need."""
