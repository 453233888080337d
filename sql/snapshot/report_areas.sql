-- The areas a briefing is printed for: the province and every kabupaten/kota.
select kode from snap.wilayah where tingkat in ('provinsi', 'kabupaten') order by kode
