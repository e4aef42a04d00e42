"""The aggregates of ordering: the Order and the lines it is made of."""
