"""Ordering's own events, heard again from the outbox by every server process."""
