create or replace table snap.{table} as
{select}
