select tingkat, kode_wilayah, tahun, kpi_id, count(*) as n
from kpi
group by all
having count(*) > 1
order by all
