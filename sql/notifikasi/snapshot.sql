-- What a briefing needs to know of the snapshot: its province, its date and latest KPI year.
select i.provinsi, i.diterbitkan_pada, (select max(tahun) from snap.kpi) as tahun
from snap.snapshot_info as i
limit 1
