-- The idm table as loaded, with the score computed from iks/ike/ikl and the derived status.
create table snap.idm as
select
    i.*,
    h.nilai_idm_hitung,
    h.status_idm_hitung
from main.idm as i
left join main.idm_hitung as h using (kode_desa, tahun)
order by i.kode_desa, i.tahun
