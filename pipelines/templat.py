"""Excel template of one dataset, from the command line.

    python -m pipelines.templat <dataset> --kab 62.03 --out templat.xlsx
    python -m pipelines.templat target_kpi --out target.xlsx

A village dataset lists the desa of one kabupaten, so it needs `--kab`; a dataset whose rows
name a kabupaten, the province or the nation (kemiskinan_kab, target_kpi) lists them all and
needs none. The `kpi_id` column of target_kpi offers the KPI catalogue as a drop-down.
The template is generated from the contracts (the same `dataset_definisi` row the snapshot
publishes) and the reference region list, by the documents room (`laporan.templat`), so the
dashboard's download and this command give the same workbook. Exit codes: 0 written, 2 unknown
dataset or kabupaten (message in Bahasa Indonesia), 1 the file could not be written.
"""

import argparse
import sys
from pathlib import Path

import polars as pl

from laporan.templat import build_template, template_areas
from pipelines.contracts.datasets import DATASETS, Villages, dataset_definitions_frame
from pipelines.contracts.kpis import KPI_BY_ID
from pipelines.ingest.reference import read_wilayah
from pipelines.settings import Settings


def definition_row(dataset: str) -> dict:
    """One row of the published `dataset_definisi` table, built from the contracts."""
    rows = dataset_definitions_frame().filter(pl.col("dataset") == dataset)
    return rows.row(0, named=True)


def normalise_kab(text: str) -> str:
    """`62.03` as typed, or `6203`."""
    text = text.strip()
    return f"{text[:2]}.{text[2:]}" if text.isdigit() and len(text) == 4 else text


def _say(text: str, stream=None) -> None:
    (stream or sys.stderr).write(text + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.templat",
        description="Buat templat Excel sebuah dataset dari deklarasinya.",
    )
    parser.add_argument("dataset", help="nama dataset: " + ", ".join(DATASETS))
    parser.add_argument(
        "--kab",
        help="kode kabupaten/kota Kemendagri, mis. 62.03 (hanya untuk dataset per desa)",
    )
    parser.add_argument("--out", type=Path, help="berkas .xlsx tujuan")
    args = parser.parse_args(argv)

    if args.dataset not in DATASETS:
        _say(f"Dataset '{args.dataset}' tidak dikenal. Pilihan: {', '.join(DATASETS)}.")
        return 2
    definition = definition_row(args.dataset)
    wilayah = read_wilayah(Settings.from_env().wilayah_csv)
    kab = normalise_kab(args.kab) if args.kab else None
    if DATASETS[args.dataset].villages in (Villages.DESA, Villages.DESA_KELURAHAN) and kab is None:
        _say("Sebutkan kabupaten/kota dengan --kab, mis. --kab 62.03.")
        return 2
    try:
        areas, title = template_areas(definition, wilayah, kab)
    except KeyError:
        known = wilayah.filter(pl.col("tingkat") == "kabupaten")["kode"].to_list()
        _say(
            f"Kode kabupaten/kota '{args.kab}' tidak ada dalam daftar wilayah. "
            f"Pilihan: {', '.join(known)}."
        )
        return 2
    out = args.out or Path(f"templat_{args.dataset}_{kab or 'provinsi'}.xlsx")
    try:
        out.write_bytes(build_template(definition, areas, title, kpi_ids=list(KPI_BY_ID)))
    except OSError as exc:
        _say(f"Templat tidak dapat ditulis ke {out}: {exc.strerror}")
        return 1
    _say(f"Templat {args.dataset} ({title}) ditulis ke {out}", sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
