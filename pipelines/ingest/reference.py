"""The reference lists one run validates against: regions, the BPS crosswalk, IDM thresholds."""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from pipelines.contracts.idm_status import load_thresholds
from pipelines.ingest.matching import RegionMatcher

WILAYAH_SCHEMA = {
    "kode": pl.String,
    "tingkat": pl.String,
    "nama": pl.String,
    "kode_kab": pl.String,
    "kode_kec": pl.String,
    "jenis": pl.String,
}


def read_wilayah(path: Path) -> pl.DataFrame:
    """The Kemendagri region list: codes are text, always (never let 62.10 become 62.1)."""
    return pl.read_csv(path, schema_overrides=WILAYAH_SCHEMA, infer_schema=False).select(
        list(WILAYAH_SCHEMA)
    )


@dataclass
class Reference:
    provinsi: str
    wilayah: pl.DataFrame
    bps_to_kemendagri: dict[str, str]
    thresholds: pl.DataFrame
    desa: pl.DataFrame = field(init=False)
    _desa_per_provinsi: dict[str, pl.DataFrame] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.desa = self.wilayah.filter(pl.col("tingkat") == "desa").select(
            pl.col("kode").alias("kode_desa"), "jenis", "kode_kab", "kode_kec", "nama"
        )
        provinsi = pl.col("kode_desa").str.slice(0, 2)
        self._desa_per_provinsi = {
            key[0]: part.drop("_provinsi")
            for key, part in self.desa.with_columns(provinsi.alias("_provinsi")).group_by(
                "_provinsi", maintain_order=True
            )
        }

    def desa_of_provinces(self, kode_desa: pl.Series) -> pl.DataFrame:
        """The villages of the provinces `kode_desa` names (a code's first two digits): all a
        join on these codes can match. A join builds its table over this side, and a file names
        one province, where the national list has 84,000 villages (3 ms of the 17 ms a national
        UMKM file spent in Polars)."""
        provinces = kode_desa.str.slice(0, 2).unique().to_list()
        parts = [self._desa_per_provinsi[p] for p in provinces if p in self._desa_per_provinsi]
        return pl.concat(parts) if parts else self.desa.clear()

    @classmethod
    def load(cls, wilayah_csv: Path, crosswalk_csv: Path, thresholds_csv: Path, provinsi: str):
        wilayah = read_wilayah(wilayah_csv)
        crosswalk = pl.read_csv(crosswalk_csv, infer_schema=False)
        return cls(
            provinsi=provinsi,
            wilayah=wilayah,
            bps_to_kemendagri=dict(
                zip(crosswalk["kode_bps"], crosswalk["kode_kemendagri"], strict=True)
            ),
            thresholds=load_thresholds(thresholds_csv),
        )

    @cached_property
    def nama_provinsi(self) -> str:
        rows = self.wilayah.filter(pl.col("kode") == self.provinsi)["nama"]
        return rows[0] if len(rows) else self.provinsi

    @cached_property
    def area_codes(self) -> set[str]:
        """Codes a kemiskinan_kab row may name: every kabupaten/kota and the province(s)."""
        levels = self.wilayah.filter(pl.col("tingkat").is_in(["kabupaten", "provinsi"]))
        # The configured area itself too: '62' for Kalteng, '00' for the national reference.
        return {*levels["kode"].to_list(), self.provinsi}

    @cached_property
    def matcher(self) -> RegionMatcher:
        return RegionMatcher(self.wilayah, self.provinsi, self.nama_provinsi)
