-- {table} comes from the dataset allow-list; the new rows are registered as new_rows.
-- {slice_columns}/{slice_match}: the dataset's slice (kode_kab, tahun by default).
delete from {table}
using (select distinct {slice_columns} from new_rows) as slice
where {slice_match}
