-- Whether a table holds any row (one row back if it does).
select 1 from main.{table} limit 1
