-- Which figures are real and which are synthetic sample data, per dataset and source.
create table snap.sumber_data as
select 'dana_desa' as dataset, sintetis, sumber, count(*) as baris from main.dana_desa group by all
union all select 'bumdes', sintetis, sumber, count(*) from main.bumdes group by all
union all select 'umkm', sintetis, sumber, count(*) from main.umkm group by all
union all select 'kemiskinan_desa', sintetis, sumber, count(*) from main.kemiskinan_desa group by all
union all select 'kemiskinan_kab', sintetis, sumber, count(*) from main.kemiskinan_kab group by all
union all select 'idm', sintetis, sumber, count(*) from main.idm group by all
union all select 'profil_desa', sintetis, sumber, count(*) from main.profil_desa group by all
order by 1, 2, 3
