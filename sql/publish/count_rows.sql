select count(*) from snap.{table}
