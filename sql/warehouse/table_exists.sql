-- Whether a table (or view) is in the warehouse.
select count(*) from information_schema.tables where table_name = ?
