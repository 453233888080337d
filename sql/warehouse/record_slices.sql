-- The slices of the file being loaded (registered as new_rows); ? = dataset, sha256, time.
insert into irisan_diterima
select distinct ?, kode_kab, tahun, ?, ?
from new_rows
