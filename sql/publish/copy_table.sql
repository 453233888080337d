-- {table} comes from the allow-list in pipelines.warehouse.publish.
create table snap.{table} as select * from main.{table}
