-- The kpi table in key order, year first: the same warehouse gives the same file row by row,
-- and the next snapshot replaces the years that changed (and the later ones) in place.
select * from main.kpi
{where}
order by tahun, tingkat, kode_wilayah, kpi_id
