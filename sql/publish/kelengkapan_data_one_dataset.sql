select
    '{dataset}' as dataset,
    '{wilayah}' as wilayah,
    {kode_kab} as kode_kab,
    tahun,
    {villages} as n,
    bool_or(sintetis) as sintetis,
    max(dimuat_pada) as t
from main.{dataset}
group by all
