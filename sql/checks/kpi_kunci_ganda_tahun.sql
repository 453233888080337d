-- The kpi keys that stand in more than one row, in the years bound: kept year by year in
-- kpi_kunci_ganda (pipelines/warehouse/kpi_guard.py), which kpi_kunci_unik.sql reads.
select tingkat, kode_wilayah, tahun, kpi_id, count(*) as n
from kpi
where list_contains($1::integer[], tahun)
group by all
having count(*) > 1
