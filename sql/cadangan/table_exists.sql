-- Whether a table is in the open database (a log another version may not have yet).
select count(*) from duckdb_tables() where schema_name = 'main' and table_name = ?
