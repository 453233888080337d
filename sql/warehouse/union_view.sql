-- A view over tables of one shape, e.g. kpi over kpi_isu1..kpi_tujuan (union_part.sql each).
-- A view, so rematerializing one part needs no copy of the others; publish writes it out as a
-- table.
create or replace view {table} as
{selects|union all by name}
