-- A table built from the declarations in pipelines/contracts; {table} from the code, not input.
create or replace table snap.{table} as select * from _catalogue
