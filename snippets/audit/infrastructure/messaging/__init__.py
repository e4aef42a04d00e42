"""Audit's reaction to every context's events: the ``audit.trail`` consumer's handler."""
