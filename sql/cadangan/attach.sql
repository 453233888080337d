-- A snapshot to compare, read-only: the backup's as lama, the rebuild's as baru.
attach ? as {db} (read_only)
