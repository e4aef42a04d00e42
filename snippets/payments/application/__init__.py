"""Payments' use cases and the ports they need: the provider, the orders, the webhooks."""
