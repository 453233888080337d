-- What has arrived per dataset, kabupaten and year, and how complete it is.
-- Villages expected: desa only for desa-only datasets, desa and kelurahan otherwise.
create table snap.kelengkapan_data as
with villages as (
    select kode_kab, count(*) filter (where jenis = 'desa') as desa, count(*) as semua
    from main.wilayah
    where tingkat = 'desa'
    group by kode_kab
),
arrived as (
    select 'dana_desa' as dataset, kode_kab, tahun, count(distinct kode_desa) as n, bool_or(sintetis) as sintetis, max(dimuat_pada) as t from main.dana_desa group by all
    union all
    select 'bumdes', kode_kab, tahun, count(distinct kode_desa), bool_or(sintetis), max(dimuat_pada) from main.bumdes group by all
    union all
    select 'umkm', kode_kab, tahun, count(distinct kode_desa), bool_or(sintetis), max(dimuat_pada) from main.umkm group by all
    union all
    select 'kemiskinan_desa', kode_kab, tahun, count(distinct kode_desa), bool_or(sintetis), max(dimuat_pada) from main.kemiskinan_desa group by all
    union all
    select 'idm', kode_kab, tahun, count(distinct kode_desa), bool_or(sintetis), max(dimuat_pada) from main.idm group by all
    union all
    select 'profil_desa', kode_kab, tahun, count(distinct kode_desa), bool_or(sintetis), max(dimuat_pada) from main.profil_desa group by all
    union all
    select 'kemiskinan_kab', kode_wilayah, tahun, count(*), bool_or(sintetis), max(dimuat_pada) from main.kemiskinan_kab group by all
)
select
    a.dataset,
    a.kode_kab,
    a.tahun,
    a.n as desa_melapor,
    case
        when a.dataset = 'kemiskinan_kab' then 1
        when a.dataset in ('kemiskinan_desa', 'umkm') then v.semua
        else v.desa
    end as desa_total,
    100.0 * a.n / nullif(desa_total, 0) as persen_lengkap,
    a.t as diterima_pada,
    a.sintetis
from arrived as a
left join villages as v using (kode_kab)
order by a.dataset, a.kode_kab, a.tahun
