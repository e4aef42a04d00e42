"""Messaging: events leave the outbox for a transport, and consumers take them from it."""
