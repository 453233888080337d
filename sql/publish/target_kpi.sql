-- The targets in force: analysts' files (asal 'berkas') and the shipped ones they did not
-- replace (asal 'bawaan'), as the capaian_target asset merged them.
select kpi_id, kode_wilayah, tahun, nilai, sumber, catatan, asal
from main.target_kpi_berlaku
order by kpi_id, kode_wilayah, tahun
