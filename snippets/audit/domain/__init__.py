"""Audit's domain model: entries of a hash chain and the rule that links them."""
