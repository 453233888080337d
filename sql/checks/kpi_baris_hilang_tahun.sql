-- The rows every kabupaten/kota and the province need for every KPI, missing in the years bound
-- that the kpi table holds: kept year by year in kpi_baris_hilang
-- (pipelines/warehouse/kpi_guard.py), which kpi_lengkap.sql reads.
with expected as (
    select w.tingkat, w.kode as kode_wilayah, y.tahun, d.kpi_id
    from wilayah as w
    cross join (select distinct tahun from kpi where list_contains($1::integer[], tahun)) as y
    cross join kpi_definisi as d
    where w.tingkat in ('kabupaten', 'provinsi')
)
select e.*
from expected as e
anti join (
    select tingkat, kode_wilayah, tahun, kpi_id
    from kpi
    -- only these can match an expected row: 0.6 s instead of 12 s on the national 33 M rows
    where list_contains($1::integer[], tahun) and tingkat in ('kabupaten', 'provinsi')
) as k using (tingkat, kode_wilayah, tahun, kpi_id)
