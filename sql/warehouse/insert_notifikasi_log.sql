insert into notifikasi_log (dibuat_pada, jenis, penerima, kode_kab, rincian, status, alasan)
values (?, ?, ?, ?, ?, ?, ?)
