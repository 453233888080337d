(a.{column} is distinct from b.{column} or signbit(a.{column}) <> signbit(b.{column}))
