delete from snap.{table} where tabel = ?
