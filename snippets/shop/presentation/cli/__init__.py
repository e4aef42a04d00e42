"""The ``shop`` command: the root group, its runner, and the demo data."""
