"""The tenant directory remembered in the process: a request resolves its tenant in memory."""
