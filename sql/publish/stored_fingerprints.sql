select kunci, sidik from snap.{table} where tabel = ?
