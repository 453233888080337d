-- A log table back from its Parquet copy, by column name ({table}: LOG_TABLES allow-list).
insert into main.{table} by name select * from read_parquet(?)
