-- The latest verdict of each check on the current KPI version (none: never checked).
select p.pemeriksaan, arg_max(p.lulus, p.diperiksa_pada) as lulus
from kpi_pemeriksaan as p
join kpi_versi as v using (versi)
group by p.pemeriksaan
