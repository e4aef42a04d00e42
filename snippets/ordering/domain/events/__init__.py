"""The events ordering's aggregates record, one module per aggregate."""
