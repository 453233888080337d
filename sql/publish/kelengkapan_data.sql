-- What has arrived per dataset, kabupaten and year, and how complete it is.
-- Villages expected: desa only for desa-only datasets, desa and kelurahan otherwise.
with villages as (
    select kode_kab, count(*) filter (where jenis = 'desa') as desa, count(*) as semua
    from main.wilayah
    where tingkat = 'desa'
    group by kode_kab
),
-- kelengkapan_data_one_dataset.sql of every dataset with data years, kept up to date by
-- pipelines.warehouse.publish.
arrived as (
    select * from main.kelengkapan_irisan
)
select
    a.dataset,
    a.kode_kab,
    a.tahun,
    a.n as desa_melapor,
    -- Villages expected, by which areas the dataset's rows may name (its declaration).
    case a.wilayah
        when 'kabupaten' then 1
        when 'desa_kelurahan' then v.semua
        else v.desa
    end as desa_total,
    100.0 * a.n / nullif(desa_total, 0) as persen_lengkap,
    a.t as diterima_pada,
    a.sintetis
from arrived as a
left join villages as v using (kode_kab)
order by a.dataset, a.kode_kab, a.tahun
