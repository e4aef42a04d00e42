"""Payments' use cases: start a payment, settle it from the provider's webhook."""
