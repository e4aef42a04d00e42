"""The SQL database adapter: tables, repository, unit of work, engine and migrations."""
