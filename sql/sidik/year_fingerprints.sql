-- table_fingerprint.sql for each year.
select tahun, count(*), coalesce(sum(hash(t)::hugeint), 0)
from {source} as t
where tahun is not null
group by tahun
