-- A whole table: every row (all_rows.sql) or some years' (rows_of_years.sql).
select * from {table}
{where}
