-- The published snapshot as `snap`, read-only.
attach ? as snap (read_only)
