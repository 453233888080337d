-- The idm table as loaded, with the score computed from iks/ike/ikl and the derived status.
select
    i.*,
    h.nilai_idm_hitung,
    h.status_idm_hitung
from main.idm as i
left join main.idm_hitung as h using (kode_desa, tahun)
{where}
order by i.tahun, i.kode_desa
