"""The parts of docs/ that restate the declarations, generated from them so they cannot drift.

A document marks each generated part with `<!-- generated: NAME -->` … `<!-- end generated:
NAME -->`; `python -m pipelines.contracts.docs` rewrites those parts in place and `--check`
fails when one is out of date (tests/test_docs.py runs the check). Everything outside the
markers is written by hand.
"""

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

from pipelines.contracts.datasets import DATASETS, Dataset, column_record
from pipelines.contracts.kpis import ISU_NAMES, KPIS

REPO = Path(__file__).resolve().parents[2]
DOCS = (REPO / "docs" / "contracts.md", REPO / "docs" / "petugas-data.md")

_ARAH = {"naik": "naik (makin tinggi makin baik)", "turun": "turun (makin rendah makin baik)"}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def _code(names: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def datasets_summary() -> str:
    """One row per dataset: its key, what a file replaces, which areas, who may send it."""
    rows = [
        (
            f"`{d.name}`",
            d.title,
            _code(d.key),
            _code(d.slice_columns),
            f"`{d.villages.value}`",
            "ya" if d.uploadable_by_petugas else "tidak (hanya analis)",
            _code(d.rules) if d.rules else "–",
        )
        for d in DATASETS.values()
    ]
    header = ("dataset", "nama", "kunci", "berkas mengganti", "wilayah", "petugas", "aturan khusus")
    return "\n".join(_table(header, rows))


def _dataset_columns(d: Dataset) -> list[str]:
    lines = [f"#### `{d.name}`: {d.title}", ""]
    lines.append(f"Folder `inbox/{d.name}/`. Satu baris per {_code(d.key)}.")
    if d.notes:
        lines[-1] += f" {d.notes}"
    lines.append("")
    rows = []
    for column in d.all_columns:
        record = column_record(column, d.villages)
        rows.append(
            (
                f"`{record['nama']}`",
                "wajib" if record["wajib"] else "",
                record["jenis_keterangan"],
                record["arti"],
                record["aturan"] or "–",
                _code(record["alias"]) if record["alias"] else "",
            )
        )
    lines += _table(("kolom", "wajib", "jenis", "arti", "aturan", "nama lain"), rows)
    return lines


def dataset_columns() -> str:
    """Per dataset, every column with its meaning and rule, in the words of dataset_definisi."""
    parts: list[str] = []
    for d in DATASETS.values():
        parts += [*_dataset_columns(d), ""]
    return "\n".join(parts).rstrip("\n")


def kpi_catalogue() -> str:
    """Per strategic issue, every KPI with its formula, unit, direction and input datasets."""
    parts: list[str] = []
    for isu, title in ISU_NAMES.items():
        rows = [
            (
                f"`{k.kpi_id}`" + (" ★" if k.utama else ""),
                k.nama,
                k.rumus,
                k.satuan,
                _ARAH[k.arah],
                _code(k.datasets),
            )
            for k in KPIS
            if k.isu == isu
        ]
        parts += [f"#### `{isu}`: {title}", ""]
        parts += _table(("kpi_id", "nama", "rumus", "satuan", "arah", "dataset"), rows)
        parts.append("")
    return "\n".join(parts).rstrip("\n")


SECTIONS: dict[str, Callable[[], str]] = {
    "datasets": datasets_summary,
    "dataset-columns": dataset_columns,
    "kpis": kpi_catalogue,
}

_MARKED = re.compile(
    r"<!-- generated: (?P<name>[a-z-]+) -->\n(?P<body>.*?)<!-- end generated: (?P=name) -->",
    re.DOTALL,
)


def sections_in(text: str) -> dict[str, str]:
    """The generated parts of a document as they stand, by name."""
    return {m["name"]: m["body"].rstrip("\n") for m in _MARKED.finditer(text)}


def regenerate(text: str) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        return f"<!-- generated: {name} -->\n{SECTIONS[name]()}\n<!-- end generated: {name} -->"

    return _MARKED.sub(fill, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a document is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        new = regenerate(text)
        if new != text:
            stale.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        names = "\n  ".join(str(p) for p in stale)
        sys.stderr.write(f"Out of date (run python -m pipelines.contracts.docs):\n  {names}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
