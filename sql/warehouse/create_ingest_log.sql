create table if not exists ingest_log (
    file_name varchar not null,
    dataset varchar not null,
    sha256 varchar not null,
    received_at timestamp not null,
    status varchar not null,  -- 'accepted', 'rejected', 'duplicate'
    rows integer,
    report varchar,
    stored_as varchar,  -- where the file now lives, relative to the data directory
    errors integer,
    warnings integer,
    pengunggah varchar  -- the account that uploaded it through the dashboard; NULL: folder drop
)
