"""Adapters to other systems: the catalog, in-process; the clients that watch orders."""
