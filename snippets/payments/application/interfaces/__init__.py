"""The ports payments' use cases call: the provider, ordering and the webhook verifier."""
