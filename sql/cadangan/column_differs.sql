a.{column} is distinct from b.{column}
