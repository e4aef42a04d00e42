"""The audit log's table and the SQL behind audit's ports."""
