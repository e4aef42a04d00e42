"""The catalog's command line: the ``products`` group."""
