"""Payments' domain model: a payment's life, and the rules of the provider's news."""
