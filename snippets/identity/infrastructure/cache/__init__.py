"""The login throttle's counters."""
