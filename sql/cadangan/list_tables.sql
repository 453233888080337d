-- The tables of an attached snapshot ({db}: lama or baru).
select table_name from duckdb_tables()
where database_name = '{db}' and schema_name = 'main'
order by table_name
