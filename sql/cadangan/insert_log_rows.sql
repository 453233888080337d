-- Rows of a log table back from the backup (registered as _rows), by column name.
insert into main.{table} by name select * from _rows
