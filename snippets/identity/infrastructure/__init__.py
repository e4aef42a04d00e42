"""Identity's adapters: tables, Argon2id, signed tokens, the throttle and the mail."""
