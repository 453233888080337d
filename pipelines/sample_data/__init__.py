"""Deterministic sample inbox for the pipeline: real reference figures plus synthetic ones.

Two scales:

- `kalteng` (default, pipelines.sample_data.kalteng): the 1,571 real villages of Kalimantan
  Tengah, 2021-2025. REAL: IDM 2024 (all 1,432 desa, official Kemendesa scores) and BPS poverty
  figures (kab/kota P0 2015-2018 with BPS codes, province figures, later secondary kab/kota
  figures by name). SYNTHETIC: dana_desa, bumdes, umkm, kemiskinan_desa, profil_desa and the
  IDM years other than 2024, on the real codes, scaled to real population and poverty. The
  files come in the forms officers send: semicolon Windows-1252 with `Rp 1.234.567,50`, Excel
  (one with codes as numeric cells), UTF-8 with and without BOM, one names-only file, one
  BPS-coded file, one late file (`dana_desa/2025_62.07_susulan.csv`), yes/no in several
  spellings. `describe()` lists every file with its form and whether it is real.
- `national` (pipelines.sample_data.national): a synthetic country of ~84,000 villages in 38
  provinces, 2016-2025, all seven datasets in plain UTF-8 CSV, written province by province in
  bounded memory, plus its synthetic reference (`wilayah_00.csv`, `kode_bps_kemendagri_00.csv`).
  For benchmarks only.

Every row carries the provenance columns `sumber` (where the figures come from) and `sintetis`
(`ya` for synthetic rows, `tidak` for real ones). The same seed gives byte-identical files.

Run: `python -m pipelines.sample_data --out DIR [--scale kalteng|national] [--seed 2026]`.
"""

from pathlib import Path


def describe(scale: str = "kalteng", reference_dir: Path | None = None) -> str:
    """Every file the generator writes at this scale: path, form, real or synthetic."""
    if scale == "kalteng":
        from pipelines.sample_data import kalteng

        return kalteng.describe(reference_dir)
    from pipelines.sample_data import national

    return national.describe()
