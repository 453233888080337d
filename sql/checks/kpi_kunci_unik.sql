-- Keys (tingkat, kode_wilayah, tahun, kpi_id) in more than one kpi row. Searched year by year,
-- again only in the years whose keys changed (kpi_kunci_ganda_tahun.sql); found here.
select tingkat, kode_wilayah, tahun, kpi_id, n
from kpi_kunci_ganda
order by all
