-- A whole table in its stored order.
select * from main.{table}
