-- The kpi rows progress to a target is measured on: kabupaten and provinsi, for the KPIs with a
-- target in force. Filtered here, so the tens of millions of desa and kecamatan rows of the
-- national run never reach Polars (they took 5 GB there).
select tingkat, kode_wilayah, nama_wilayah, tahun, kpi_id, nilai
from kpi
where tingkat in ('kabupaten', 'provinsi')
  and kpi_id in (select unnest(?::varchar[]))
