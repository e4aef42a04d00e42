"""The ports audit's use cases and endpoints need."""
