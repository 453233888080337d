"""Backups (cadangan) of what cannot be rebuilt, and a restore that rebuilds everything else.

Every accepted file is kept byte for byte in `archive/`, with its arrival in `ingest_log`; that
is enough to rebuild the warehouse exactly. What the archive does not hold is backed up beside
it: `rejected/` with its reports, the accounts store and the upload signing key (`akun/`), the
`ingest_log` and `notifikasi_log` tables, the reference folder when it is not the shipped one,
and the published snapshot (so a restore can serve readers at once, and prove the rebuild).

- `buat` (pipelines.cadangan.backup): one `.tar.gz` file with a manifest (every file's size and
  SHA-256, the project version), taken while runs go on: the warehouse lock is held only to
  copy the log tables and list the folders, and the file is written under a temporary name and
  renamed, so a backup is whole or absent.
- `periksa` (pipelines.cadangan.manifest): checks a backup against its manifest.
- `pulihkan` (pipelines.cadangan.restore): into an empty data directory, replays every archived
  file in its order of arrival through the normal ingest path, runs the pipeline, and compares
  the rebuilt `kpi` table with the backed-up snapshot's, bit for bit.
"""
