delete from snap.{table} where tahun >= ?
