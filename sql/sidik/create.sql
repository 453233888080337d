-- What each table was computed from: its inputs' fingerprints, per year and as a whole
-- (pipelines.warehouse.recompute). The warehouse's sidik_masukan names the table in konsumen,
-- the snapshot's _sidik_terbit in tabel.
create table if not exists {ledger}
({owner} varchar not null, kunci varchar not null, sidik varchar not null)
