create or replace table wilayah as
select
    kode,
    level as tingkat,
    nama,
    kode_kab,
    kode_kec,
    jenis
from wilayah_csv
order by kode
