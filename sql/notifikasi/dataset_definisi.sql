-- The declarations the templates are built from, as the dashboard's `Unduh templat` reads them.
select * from snap.dataset_definisi
