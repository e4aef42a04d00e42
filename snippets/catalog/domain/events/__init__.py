"""The events the catalog's aggregates record, one module per aggregate."""
