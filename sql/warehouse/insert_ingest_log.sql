insert into ingest_log
    (file_name, dataset, sha256, received_at, status, rows, report, stored_as, errors, warnings,
     pengunggah)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
