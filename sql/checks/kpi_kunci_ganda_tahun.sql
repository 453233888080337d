-- The kpi keys that stand in more than one row, in the years bound: kept year by year in
-- kpi_kunci_ganda (pipelines/warehouse/kpi_guard.py), which kpi_kunci_unik.sql reads.
-- Grouped first by one hash of the key (an integer: about half the time of grouping four text
-- columns over the 33 M national rows); only keys whose hash repeats are then counted exactly,
-- so a hash collision is never reported as a duplicate.
with repeated as (
    select hash(tingkat, kode_wilayah, tahun, kpi_id) as key_hash
    from kpi
    where list_contains($1::integer[], tahun)
    group by key_hash
    having count(*) > 1
)
select tingkat, kode_wilayah, tahun, kpi_id, count(*) as n
from kpi
where list_contains($1::integer[], tahun)
    and hash(tingkat, kode_wilayah, tahun, kpi_id) in (select key_hash from repeated)
group by all
having count(*) > 1
