-- Some columns of a table: every row (all_rows.sql) or some years' (rows_of_years.sql).
select {columns} from {table}
{where}
