insert into snap.{table} values (?, ?, ?)
