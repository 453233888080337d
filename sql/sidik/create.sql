-- What each consumer (an asset's output) was computed from: its inputs' fingerprints, per year
-- and as a whole (pipelines.warehouse.sidik).
create table if not exists sidik_masukan
(konsumen varchar not null, kunci varchar not null, sidik varchar not null)
