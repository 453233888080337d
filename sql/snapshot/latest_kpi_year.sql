select max(tahun) from snap.kpi
