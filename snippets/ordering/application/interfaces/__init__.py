"""The ports ordering's application needs: unit of work, queries, catalog, idempotency keys."""
