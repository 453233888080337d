"""The desa prioritas factors, as data: their names (the weights file's `faktor`, the
`skor_<faktor>` columns of desa_prioritas) and the short names people read. Published as
`faktor_desa_prioritas`; the transform computes these factors and no others."""

import polars as pl

FACTOR_LABELS = {
    "miskin_ekstrem": "KK miskin ekstrem",
    "idm_rendah": "Skor status desa rendah",
    "idm_turun": "Status desa turun",
    "tanpa_bumdes": "Tanpa BUMDes aktif",
    "serapan_rendah": "Serapan Dana Desa rendah",
    "blt_rendah": "Cakupan BLT rendah",
}
FACTORS = tuple(FACTOR_LABELS)


def factors_frame() -> pl.DataFrame:
    """`faktor_desa_prioritas`: faktor, label, urutan."""
    return pl.DataFrame(
        {
            "faktor": list(FACTORS),
            "label": list(FACTOR_LABELS.values()),
            "urutan": list(range(1, len(FACTORS) + 1)),
        },
        schema={"faktor": pl.String, "label": pl.String, "urutan": pl.Int32},
    )
