{table}.{column} = slice.{column}
