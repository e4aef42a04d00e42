"""The presentation layer: the ways in, an HTTP API and a command line."""
