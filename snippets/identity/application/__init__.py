"""Identity's application layer: the use cases of accounts and sessions, and their ports."""
