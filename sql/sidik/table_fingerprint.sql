-- A table's rows (or some of its columns: columns.sql) as a row count and the sum of the rows'
-- hashes: neither depends on the order of the rows.
select count(*), coalesce(sum(hash(t)::hugeint), 0)
from {source} as t
