"""Ordering's command line: the ``orders`` group."""
