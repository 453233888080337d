insert into kpi_pemeriksaan
select versi, $pemeriksaan, $lulus, $pada from kpi_versi;
