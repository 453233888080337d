-- Every kabupaten/kota and the province need a row for every KPI and every data year.
with expected as (
    select w.tingkat, w.kode as kode_wilayah, y.tahun, d.kpi_id
    from wilayah as w
    cross join (select distinct tahun from kpi) as y
    cross join kpi_definisi as d
    where w.tingkat in ('kabupaten', 'provinsi')
)
select e.*
from expected as e
anti join kpi as k using (tingkat, kode_wilayah, tahun, kpi_id)
order by all
