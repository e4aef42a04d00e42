"""What every command line shares: the runner port, common options, output, ``db``."""
