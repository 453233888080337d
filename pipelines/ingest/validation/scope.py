"""Stage 0, the upload (docs/operations.md): who sent a file through the dashboard, and where.

An untrusted sidecar, or a dataset the uploader's role may not send, refuses the whole file; an
uploader scoped to one kabupaten gets a row error for every row outside it. A folder drop
(`upload` None) has no scope.
"""

import polars as pl

from pipelines.contracts.datasets import AREA_COLUMNS, Dataset, Villages
from pipelines.ingest.reference import Reference
from pipelines.ingest.upload import Upload
from pipelines.ingest.validation.issues import Check


def _kabupaten_name(reference: Reference, kode_kab: str) -> str | None:
    names = reference.wilayah.filter(
        (pl.col("kode") == kode_kab) & (pl.col("tingkat") == "kabupaten")
    )["nama"]
    return names[0] if len(names) else None


def refused_upload(upload: Upload | None, dataset: Dataset, reference: Reference) -> str | None:
    """Why the whole file is refused for who sent it, or None."""
    if upload is None:
        return None
    if upload.problem is not None:
        return upload.problem
    if upload.peran == "petugas" and not dataset.uploadable_by_petugas:
        return (
            f"dataset {dataset.name} tidak dapat dikirim oleh petugas kabupaten; "
            "mintalah analis provinsi mengirimnya"
        )
    if upload.kode_kab is not None and _kabupaten_name(reference, upload.kode_kab) is None:
        return f"wilayah pengunggah ({upload.kode_kab}) tidak ada dalam daftar kabupaten/kota"
    return None


def scope_checks(
    upload: Upload | None, dataset: Dataset, reference: Reference, in_file: set[str]
) -> list[Check]:
    """A row whose area lies outside the uploader's kabupaten is an error naming that row; no
    check for an unscoped upload or a dataset whose rows name no area.

    The check reads `kode_kab`, which every row has once its area is resolved (from a code, a
    BPS code or names), so it holds however the file names its areas. It names the column the
    officer wrote; where that was not the code itself, the reason gives the resolved code.
    """
    kode_kab = upload.kode_kab if upload is not None else None
    if not kode_kab or dataset.villages is Villages.TANPA_WILAYAH:
        return []
    where = _kabupaten_name(reference, kode_kab)
    area = dataset.area_column
    outside = pl.col("kode_kab").is_not_null() & (pl.col("kode_kab") != kode_kab)
    if area in in_file:
        return [Check(area, pl.when(outside).then(pl.lit(f"bukan wilayah {where}")))]
    if dataset.villages is Villages.KABUPATEN:
        column = next(c for c in AREA_COLUMNS if c in in_file)
    else:
        column = "nama_desa"
    reason = pl.format("wilayah ini ({}) bukan wilayah {}", pl.col(area), pl.lit(where))
    return [Check(column, pl.when(outside).then(reason))]
