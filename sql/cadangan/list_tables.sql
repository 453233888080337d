-- The tables of an attached snapshot (? = lama or baru).
select table_name from duckdb_tables()
where database_name = ? and schema_name = 'main'
order by table_name
