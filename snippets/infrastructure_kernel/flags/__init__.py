"""Feature flags: declared in code, set in the configuration, evaluated through OpenFeature."""
