-- A snapshot file as `snap`, to write: the next snapshot, or a copy of the published one.
attach ? as snap
