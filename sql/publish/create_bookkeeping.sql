-- In the snapshot: the fingerprints each table was last built from (pipelines.warehouse.publish).
create table if not exists snap.{table}
(tabel varchar not null, kunci varchar not null, sidik varchar not null)
