-- Every kabupaten/kota and the province need a row for every KPI and every data year. Searched
-- year by year, again only in the years whose keys changed (kpi_baris_hilang_tahun.sql).
select tingkat, kode_wilayah, tahun, kpi_id
from kpi_baris_hilang
order by all
