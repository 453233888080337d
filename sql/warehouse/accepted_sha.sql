-- The bytes of every file of a dataset loaded before, and where that file is stored: a re-sent
-- copy is known before it is read, and its report names the copy it repeats (the first).
select sha256, arg_min(stored_as, received_at) as stored_as
from ingest_log
where dataset = ? and status = 'accepted'
group by sha256
