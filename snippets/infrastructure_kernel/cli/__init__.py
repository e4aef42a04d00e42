"""What a context's Click group needs: the runner port, common options, output."""
