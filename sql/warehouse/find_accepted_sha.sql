select stored_as
from ingest_log
where dataset = ? and sha256 = ? and status = 'accepted'
limit 1
