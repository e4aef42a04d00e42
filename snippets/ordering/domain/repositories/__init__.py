"""The ports through which use cases find and store aggregates, one per aggregate."""
