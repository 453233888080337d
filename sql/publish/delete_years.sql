delete from snap.{table} where list_contains(?::integer[], tahun)
