-- What a dataset table's rows came from: every file logged for it. Ingest writes a dataset's
-- rows only together with the file's log row, in one transaction (db.replace_slices), so while
-- these are unchanged the rows are too. ? = dataset.
select count(*), coalesce(sum(hash(l)::hugeint), 0)
from ingest_log as l
where dataset = ?
