"""Audit's adapters: its table, its reads, and the consumer that appends to the chains."""
