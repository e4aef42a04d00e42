"""The command line, built with Click."""
