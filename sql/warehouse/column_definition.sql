{column} {column_type}
