"""What every HTTP API shares: problem documents, the edge middleware, health, API docs."""
