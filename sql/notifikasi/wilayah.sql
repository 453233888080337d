select * from snap.wilayah order by kode
