-- What a table's statement publishes, as a row count and the sum of the rows' hashes.
select count(*), coalesce(sum(hash(t)::hugeint), 0)
from ({select}) as t
