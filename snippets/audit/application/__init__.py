"""Audit's application layer: the verification, the trail's reads, their DTOs and ports."""
