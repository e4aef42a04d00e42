"""Identity's cryptography, each through a maintained library: Argon2id, JWT, JWKS."""
