"""The audit log's entries."""
