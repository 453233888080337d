-- One declared dataset's table: its columns (column_definition.sql each), then the load's.
create table if not exists {table} (
{columns|,}
)
