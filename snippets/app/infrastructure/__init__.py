"""The infrastructure layer: adapters that implement the application's ports."""
