"""Identity's HTTP API: the OAuth2 token endpoint, the account's endpoints, and ``/me``."""
