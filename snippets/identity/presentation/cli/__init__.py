"""Identity's command line: the ``keys`` and ``users`` groups."""
