"""Rules over many entries: checking a chain."""
