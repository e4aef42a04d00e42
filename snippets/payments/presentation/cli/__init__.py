"""Payments' command line: the ``payments`` group."""
