"""Benchmarks: load an installed example over loopback beside a bare ASGI ceiling.

Figures are measured, never asserted: ``nox -s bench`` writes them, with the machine and
the date, into a page of the handbook.
"""
