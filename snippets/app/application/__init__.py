"""The application layer: use cases, their input and output models, and their ports."""
