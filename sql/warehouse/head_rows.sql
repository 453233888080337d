select * from {table} limit ?
