-- Reporting compliance (reporting.md): one row per slice of the calendar in force and area the
-- dataset covers. getvariable('hari_ini') is the run's date in Asia/Jakarta, bound by
-- pipelines.warehouse.publish. Timestamps are naive UTC; dates are judged in Asia/Jakarta.
with jadwal as (
    {jadwal_pelaporan}
),
-- Which areas each schedulable dataset covers, from its declaration.
cakupan as (
{per_dataset|union all}
),
desa_per_kab as (
    select kode_kab, count(*) filter (where jenis = 'desa') as desa
    from main.wilayah
    where tingkat = 'desa'
    group by kode_kab
),
-- Every kabupaten/kota; the province too for kabupaten-level data; for desa-only data, only
-- where there are desa (Kota Palangka Raya has kelurahan only).
harapan as (
    select j.dataset, w.kode as kode_kab, w.nama as nama_kab, j.tahun_data, j.tenggat
    from jadwal as j
    join cakupan as c using (dataset)
    join main.wilayah as w
        on w.tingkat = 'kabupaten' or (w.tingkat = 'provinsi' and c.wilayah = 'kabupaten')
    left join desa_per_kab as d on d.kode_kab = w.kode
    where c.wilayah <> 'desa' or coalesce(d.desa, 0) > 0
),
kelengkapan as (
    {kelengkapan_data}
),
-- When each slice was first accepted: the record of every accepted file's slices, and the
-- rows now held (loaded before that record was kept). Rejected files are in neither.
kedatangan as (
    select dataset, kode_kab, tahun, min(t) as pertama
    from (
        select dataset, kode_kab, tahun, diterima_pada as t from main.irisan_diterima
        union all
        select dataset, kode_kab, tahun, diterima_pada as t from kelengkapan
    )
    group by all
),
dinilai as (
    select
        h.*,
        k.pertama as pertama_diterima,
        cast(timezone('Asia/Jakarta', timezone('UTC', k.pertama)) as date) as tanggal_wib,
        coalesce(l.persen_lengkap, 0.0) as kelengkapan_pct
    from harapan as h
    left join kedatangan as k
        on k.dataset = h.dataset and k.kode_kab = h.kode_kab and k.tahun = h.tahun_data
    left join kelengkapan as l
        on l.dataset = h.dataset and l.kode_kab = h.kode_kab and l.tahun = h.tahun_data
)
select
    dataset,
    kode_kab,
    nama_kab,
    tahun_data,
    tenggat,
    pertama_diterima,
    case
        when pertama_diterima is null and tenggat < getvariable('hari_ini') then 'belum dikirim'
        when pertama_diterima is null then 'belum jatuh tempo'
        when tanggal_wib <= tenggat then 'tepat waktu'
        else 'terlambat'
    end as status,
    cast(case
        when pertama_diterima is not null then greatest(tanggal_wib - tenggat, 0)
        else greatest(getvariable('hari_ini') - tenggat, 0)
    end as integer) as hari_terlambat,
    kelengkapan_pct
from dinilai
order by dataset, tahun_data, kode_kab
