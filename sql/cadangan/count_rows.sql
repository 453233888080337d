-- Rows of one table in an attached snapshot (db: lama or baru).
select count(*) from {db}.{table}
