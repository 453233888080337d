-- For additive inputs the province's numerator and denominator are the sums over its kabupaten.
with kab as (
    select left(kode_kab, 2) as kode_wilayah, tahun, kpi_id,
           sum(pembilang) as pembilang, sum(penyebut) as penyebut
    from kpi
    where tingkat = 'kabupaten' and kpi_id in (select unnest(?::varchar[]))
    group by all
)
select p.kode_wilayah, p.tahun, p.kpi_id, p.pembilang, kab.pembilang as pembilang_kab,
       p.penyebut, kab.penyebut as penyebut_kab
from kpi as p
join kab using (kode_wilayah, tahun, kpi_id)
where p.tingkat = 'provinsi'
  and (abs(coalesce(p.pembilang, 0) - coalesce(kab.pembilang, 0)) > 1e-6 * greatest(1, abs(coalesce(kab.pembilang, 0)))
    or abs(coalesce(p.penyebut, 0) - coalesce(kab.penyebut, 0)) > 1e-6 * greatest(1, abs(coalesce(kab.penyebut, 0))))
order by all
