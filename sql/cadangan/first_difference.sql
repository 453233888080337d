-- The first row, in stored order, where two tables of the same columns differ: the tables side
-- by side by position (POSITIONAL JOIN), the backup's columns then the rebuild's. Each column
-- is compared by column_differs.sql, a double by double_differs.sql: by value and by its sign
-- bit, so -0.0 is not 0.0.
select a.*, b.*
from lama.{table} as a positional join baru.{table} as b
where {differs|or}
limit 1
