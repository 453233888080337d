snap.{table}
