"""Payments' adapters: its tables, the provider's HTTP client, ordering, webhook signatures."""
