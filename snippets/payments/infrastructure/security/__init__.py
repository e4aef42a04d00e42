"""The verification of the provider's signed webhooks."""
