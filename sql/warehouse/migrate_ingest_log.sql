-- Warehouses created before uploads through the dashboard (issue 14) gain the column.
alter table ingest_log add column if not exists pengunggah varchar
