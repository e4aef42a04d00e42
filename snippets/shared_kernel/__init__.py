"""The shared kernel: framework-free building blocks for domain models.

Every bounded context builds its entities, value objects, aggregates and events on these
few classes, so the patterns read the same everywhere. Standard library only: a domain
model must not change when a framework does.
"""
