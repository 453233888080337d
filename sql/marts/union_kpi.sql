-- The kpi table as analysts and the checks see it: every strategic issue's rows. A view, so
-- rematerializing one issue needs no copy of the others; publish writes it out as a table.
create or replace view kpi as
select * from kpi_isu1
union all by name select * from kpi_isu2
union all by name select * from kpi_isu3
union all by name select * from kpi_isu4
union all by name select * from kpi_tujuan
