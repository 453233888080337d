-- Percentages whose formula bounds them must lie within 0..100.
select k.tingkat, k.kode_wilayah, k.tahun, k.kpi_id, k.nilai
from kpi as k
where k.kpi_id in (select unnest(?::varchar[]))
  and k.nilai is not null
  and (k.nilai < 0 or k.nilai > 100 + 1e-9)
order by all
