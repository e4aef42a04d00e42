"""The platform's adapters: the database (engine, schema, migrations, its tables), logging."""
