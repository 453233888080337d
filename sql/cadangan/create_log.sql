-- A log table the warehouse schema does not create (yet), made from its Parquet copy.
create table main.{table} as select * from read_parquet(?)
