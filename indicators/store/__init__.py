"""The DuckDB store: schema, connections, queries, build of the default dataset."""
