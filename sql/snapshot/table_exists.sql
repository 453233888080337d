-- Whether the attached snapshot has a table (an older snapshot may lack a newer one).
select count(*) from duckdb_tables()
where database_name = 'snap' and schema_name = 'main' and table_name = ?
