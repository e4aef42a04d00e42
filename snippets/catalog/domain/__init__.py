"""The catalog's domain model: products and their rules, free of frameworks and I/O."""
