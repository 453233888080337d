-- How many threads DuckDB runs a statement on.
select current_setting('threads')
