"""The ports identity's use cases need: hashing, tokens, throttling, mail and stores."""
