-- Rows in the order of the statement (a year of an ordered table).
insert into snap.{table}
{select}
