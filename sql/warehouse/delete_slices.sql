-- {table} comes from the dataset allow-list; the new rows are registered as new_rows.
delete from {table}
using (select distinct kode_kab, tahun from new_rows) as slice
where {table}.kode_kab = slice.kode_kab and {table}.tahun = slice.tahun
