"""The domain layer: the customer model and its rules, free of frameworks and I/O."""
