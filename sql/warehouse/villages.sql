-- Every village (desa and kelurahan) with the areas it belongs to.
select kode as kode_desa, kode_kec, kode_kab, jenis from wilayah where tingkat = 'desa'
