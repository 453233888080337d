-- The calendar in force (reporting.md): analysts' files (asal 'berkas'), and the shipped rows
-- (asal 'bawaan') of the (dataset, tahun_data) pairs no file holds.
select dataset, tahun_data, tenggat, keterangan, 'berkas' as asal
from main.jadwal_pelaporan
union all
select b.dataset, b.tahun_data, b.tenggat, b.keterangan, 'bawaan' as asal
from main.jadwal_pelaporan_bawaan as b
anti join main.jadwal_pelaporan as f using (dataset, tahun_data)
order by dataset, tahun_data
