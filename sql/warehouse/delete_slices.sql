-- Every earlier row of a slice the new rows (registered as new_rows) hold: a slice is the
-- dataset's slice columns (kode_kab, tahun by default), matched by slice_match.sql each.
delete from {table}
using (select distinct {slice_columns} from new_rows) as slice
where {slice_match|and}
