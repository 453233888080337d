-- The columns and types a table's statement publishes.
describe {select}
