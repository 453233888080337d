-- A table built from the declarations in pipelines/contracts (registered as _catalogue).
create or replace table snap.{table} as select * from _catalogue
