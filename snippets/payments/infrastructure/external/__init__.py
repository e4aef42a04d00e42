"""The provider's HTTP API, the resilience around it, and ordering in-process."""
