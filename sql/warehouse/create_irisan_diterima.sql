-- Every slice (dataset, kode_kab, tahun) an accepted file held, when it arrived: a later file
-- replaces the rows, never this record, so the first acceptance of a slice stays known
-- (kepatuhan_pelaporan.pertama_diterima). Rejected files never reach it.
create table if not exists irisan_diterima (
    dataset varchar not null,
    kode_kab varchar,
    tahun integer,
    sha256 varchar not null,
    diterima_pada timestamp not null  -- UTC, naive, as ingest_log.received_at
)
