"""Identity's values: e-mail addresses, passwords, roles, memberships and secret tokens."""
