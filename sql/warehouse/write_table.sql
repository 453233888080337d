-- Replace a whole table with the registered frame.
create or replace table {table} as select * from _frame
