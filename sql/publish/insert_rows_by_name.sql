insert into snap.{table} by name
{select}
