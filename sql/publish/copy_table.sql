-- {table} comes from the allow-list in pipelines.warehouse.publish.
select * from main.{table}
{where}
