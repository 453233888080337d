-- The kpi table in key order, so the same warehouse gives the same file row by row.
create table snap.kpi as
select * from main.kpi
order by tingkat, kode_wilayah, tahun, kpi_id
