-- A multiset fingerprint of one table (db: lama or baru): the sum of its row hashes, as the
-- publish step's own fingerprints (pipelines.warehouse.sidik) are made.
select coalesce(sum(hash(t)::hugeint), 0) from {db}.{table} as t
