"""Adapters to other systems and contexts: the catalog, in-process."""
