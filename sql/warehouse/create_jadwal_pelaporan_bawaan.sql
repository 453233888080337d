-- The shipped calendar (data/reference/jadwal_pelaporan.csv), rewritten by the wilayah asset;
-- created empty here so a publish never misses it.
create table if not exists jadwal_pelaporan_bawaan (
    dataset varchar,
    tahun_data integer,
    tenggat date,
    keterangan varchar
)
