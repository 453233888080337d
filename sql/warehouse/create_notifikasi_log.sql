-- Every reminder and briefing message, one row per message and attempt (reporting.md). The
-- recipient is the account's name, never its address: the table is published as it is.
create table if not exists notifikasi_log (
    dibuat_pada timestamp not null,  -- UTC, naive, as ingest_log.received_at
    jenis varchar not null,  -- 'pengingat', 'laporan'
    penerima varchar not null,  -- the account name
    kode_kab varchar,  -- the area the message is about (the province's code for its briefing)
    rincian varchar,  -- the slices reminded of, or the briefing sent
    status varchar not null,  -- 'terkirim', 'kotak_keluar', 'gagal'
    alasan varchar  -- why a send failed (the server's reply, never a password)
)
