-- Every (table, column) of the warehouse's own tables.
select table_name, column_name
from duckdb_columns()
where database_name = current_database() and schema_name = 'main'
