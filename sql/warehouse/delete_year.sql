delete from {table} where tahun = ?
