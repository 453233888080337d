-- A kpi_* table was written: its earlier verdicts no longer apply.
delete from kpi_versi;
insert into kpi_versi values ($versi, $pada);
