-- One dataset's slices counted again (kelengkapan_data_one_dataset.sql).
insert into main.kelengkapan_irisan by name
{one_dataset}
