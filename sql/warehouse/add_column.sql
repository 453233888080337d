-- A column a dataset's declaration gained since its table was created.
alter table {table} add column {column} {column_type}
