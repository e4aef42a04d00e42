"""The mail that carries identity's tokens to their holders."""
