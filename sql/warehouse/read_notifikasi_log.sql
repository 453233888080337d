-- Earlier messages of every kind since a moment: what the cadence decides on.
select dibuat_pada, jenis, penerima, kode_kab, rincian, status
from notifikasi_log
where dibuat_pada >= ?
order by dibuat_pada
