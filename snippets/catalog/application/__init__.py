"""The catalog's application layer: commands and their handlers, queries, DTOs and ports."""
