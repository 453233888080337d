-- The calendar's slices as the snapshot judged them; the jobs judge the unsent ones again on
-- their own day (pipelines.notifikasi.jadwal).
select dataset, kode_kab, nama_kab, tahun_data, tenggat, pertama_diterima is not null as diterima
from snap.kepatuhan_pelaporan
order by kode_kab, tenggat, dataset, tahun_data
