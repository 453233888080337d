-- The published kpi table: every strategic issue's rows, in a stable order.
create or replace table kpi as
select * from kpi_isu1
union all by name select * from kpi_isu2
union all by name select * from kpi_isu3
union all by name select * from kpi_isu4
union all by name select * from kpi_tujuan
order by tingkat, kode_wilayah, tahun, kpi_id
