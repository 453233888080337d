-- {columns} and {table} come from code (checked identifiers), never from input.
select {columns} from {table}
