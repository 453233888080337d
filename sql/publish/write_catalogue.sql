-- A table built from the declarations in pipelines/contracts; {table} from the code, not input.
create table snap.{table} as select * from _catalogue
