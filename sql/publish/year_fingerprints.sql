-- fingerprint.sql for each year.
select tahun, count(*), coalesce(sum(hash(t)::hugeint), 0)
from ({select}) as t
group by tahun
