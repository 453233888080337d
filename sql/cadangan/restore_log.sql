-- A log table back from its Parquet copy, by column name.
insert into main.{table} by name select * from read_parquet(?)
