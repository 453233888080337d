-- Which version of the KPI tables the blocking checks judged (outputs.md: publishing happens
-- only when every blocking check passed on the KPIs being published). Every write of a kpi_*
-- table starts a new version, so a verdict on older KPIs never covers newer ones.
create table if not exists kpi_versi (versi varchar not null, diubah_pada timestamp not null);
create table if not exists kpi_pemeriksaan (
    versi varchar not null,
    pemeriksaan varchar not null,
    lulus boolean not null,
    diperiksa_pada timestamp not null
);
