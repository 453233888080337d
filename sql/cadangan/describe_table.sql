-- A table's columns and their DuckDB types, in order.
describe main.{table}
