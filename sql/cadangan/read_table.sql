-- A whole table in its stored order; {table} is checked as a plain identifier first.
select * from main.{table}
