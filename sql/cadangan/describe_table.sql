-- A table's columns and their DuckDB types, in order (db: lama or baru).
describe {db}.{table}
