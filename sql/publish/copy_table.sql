-- A table published as it is: every row (all_rows.sql) or some years' (rows_of_years.sql).
select * from main.{table}
{where}
