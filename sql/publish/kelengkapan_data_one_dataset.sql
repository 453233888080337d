-- One dataset's part of kelengkapan_data.sql: kode_kab is the column naming the kabupaten
-- (kode_wilayah for data by area), area the column naming the villages counted.
select
    '{dataset}' as dataset,
    '{wilayah}' as wilayah,
    {kode_kab} as kode_kab,
    tahun,
    count(distinct {area}) as n,
    bool_or(sintetis) as sintetis,
    max(dimuat_pada) as t
from main.{dataset}
group by all
