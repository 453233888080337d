-- Everything written to `snap` into its file, no .wal left beside it.
checkpoint snap
