"""Excel templates (issue 15): generated from the declarations, and accepted as they are.

The checks compare each template with the contracts (`DATASETS`), never with a copy of them,
and fill templates the way an officer would (openpyxl: text codes, numbers, drop-down values),
then send them through the real ingest path.
"""

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from laporan.templat import (
    AREA_SHEET,
    CHOICES_SHEET,
    DATA_SHEET,
    NUMBER_FORMATS,
    build_template,
    template_areas,
)
from pipelines.contracts.datasets import DATASETS, Kind, Villages, rule_text
from pipelines.contracts.kpis import KPI_BY_ID
from pipelines.ingest.inbox import process_file
from pipelines.ingest.reading import UnreadableFile, read_table
from pipelines.ingest.reference import Reference, read_wilayah
from pipelines.settings import Settings
from pipelines.templat import definition_row
from pipelines.warehouse.db import Warehouse
from tests.conftest import REPO

KAB = "62.03"
MB = 1024 * 1024
CODE_KINDS = (Kind.KODE_DESA, Kind.KODE_WILAYAH, Kind.KODE_BPS, Kind.DIGITS)


@pytest.fixture(scope="module")
def wilayah() -> pl.DataFrame:
    return read_wilayah(Settings.from_env().wilayah_csv)


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def template(dataset: str, wilayah: pl.DataFrame) -> openpyxl.Workbook:
    definition = definition_row(dataset)
    areas, title = template_areas(definition, wilayah, KAB)
    content = build_template(definition, areas, title, kpi_ids=list(KPI_BY_ID))
    return openpyxl.load_workbook(io.BytesIO(content))


def column_formats(sheet) -> dict[int, str]:
    """Number format of each column (1-based); one <col> element may cover several columns."""
    formats = {}
    for dim in sheet.column_dimensions.values():
        for index in range(dim.min, dim.max + 1):
            formats[index] = dim.number_format
    return formats


def drop_downs(sheet) -> dict[str, list[str]]:
    """{column letter: choices} of the inline list validations."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list":
            letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
            found[letter] = validation.formula1.strip('"').split(",")
    return found


def expected_columns(dataset: str) -> list[str]:
    """The declaration's columns; kemiskinan_kab offers only its key's area column, since a
    file with two area columns is rejected."""
    ds = DATASETS[dataset]
    return [
        c.name
        for c in ds.all_columns
        if not (ds.name == "kemiskinan_kab" and c.kind in (Kind.KODE_BPS, Kind.NAMA_WILAYAH))
    ]


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_template_matches_the_declaration(dataset, wilayah):
    workbook = template(dataset, wilayah)
    assert workbook.sheetnames[:2] == [DATA_SHEET, AREA_SHEET]  # the reader takes sheet 1
    sheet = workbook[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    assert header == expected_columns(dataset)

    formats = column_formats(sheet)
    lists = drop_downs(sheet)
    for position, name in enumerate(header, start=1):
        column = DATASETS[dataset].column(name)
        cell = sheet.cell(1, position)
        letter = cell.column_letter
        comment = cell.comment.text
        assert column.description in comment
        assert rule_text(column, DATASETS[dataset].villages) in comment
        assert ("WAJIB" in comment) == column.required

        fmt = formats[position]
        if column.kind in CODE_KINDS or column.kind in (Kind.TEXT, Kind.CATEGORY, Kind.BOOLEAN):
            assert fmt == "@", (name, fmt)
        elif column.kind is Kind.INTEGER:
            assert fmt == "#,##0", (name, fmt)
        elif column.kind is Kind.RUPIAH:
            assert "Rp" in fmt, (name, fmt)
            assert "#,##0.00" in fmt, (name, fmt)
        elif column.kind is Kind.TAHUN:
            assert fmt == "0"
        elif column.kind is Kind.TANGGAL:  # jadwal_pelaporan: a date cell, as officers type it
            assert fmt == "dd/mm/yyyy", (name, fmt)
        else:  # decimals: a number format, never text
            assert column.kind is Kind.DECIMAL
            assert fmt != "@", (name, fmt)

        if name == "kpi_id":  # target_kpi: the KPI catalogue, on the hidden choices sheet
            assert list_choices(workbook, letter) == sorted(KPI_BY_ID)
        elif column.kind is Kind.CATEGORY:
            assert lists.get(letter) == list(column.categories), name
        elif column.kind is Kind.BOOLEAN:
            assert lists.get(letter) == ["ya", "tidak"], name
        else:
            assert letter not in lists, name
    # Every list covers the data rows the officer will fill.
    for validation in sheet.data_validations.dataValidation:
        assert str(validation.sqref).split(":")[0][-1] == "2"
        assert int(str(validation.sqref).split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) >= 5001


def test_every_kind_has_an_excel_format():
    assert set(NUMBER_FORMATS) == {k.value for k in Kind}


def test_a_long_choice_list_lives_on_a_hidden_sheet():
    """Excel keeps an inline list to 255 characters; longer ones point at a hidden sheet."""
    definition = dict(definition_row("umkm"))
    columns = json.loads(definition["kolom"])
    long_choices = [f"pilihan_nomor_{i:02d}" for i in range(30)]
    for column in columns:
        if column["nama"] == "sektor":
            column["pilihan"] = long_choices
    definition["kolom"] = columns
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(definition, [], "")))
    hidden = workbook[CHOICES_SHEET]
    assert hidden.sheet_state == "hidden"
    assert [r[0] for r in hidden.iter_rows(values_only=True)] == long_choices
    sheet = workbook[DATA_SHEET]
    letter = next(c.column_letter for c in sheet[1] if c.value == "sektor")
    formulas = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
        for v in sheet.data_validations.dataValidation
    }
    assert formulas[letter] == f"'{CHOICES_SHEET}'!$A$1:$A${len(long_choices)}"


def test_area_sheet_lists_the_kabupaten_villages(wilayah):
    expected = wilayah.filter((pl.col("tingkat") == "desa") & (pl.col("kode_kab") == KAB))
    for dataset, kelurahan in (("umkm", True), ("dana_desa", False)):
        sheet = template(dataset, wilayah)[AREA_SHEET]
        rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
        want = expected if kelurahan else expected.filter(pl.col("jenis") == "desa")
        assert sorted(r[0] for r in rows) == sorted(want["kode"].to_list())
        kecamatan = dict(
            wilayah.filter(pl.col("tingkat") == "kecamatan").select("kode", "nama").iter_rows()
        )
        by_code = {r["kode"]: r for r in want.iter_rows(named=True)}
        for kode, kec, nama, jenis in rows:
            assert (kec, nama, jenis) == (
                kecamatan[by_code[kode]["kode_kec"]],
                by_code[kode]["nama"],
                by_code[kode]["jenis"],
            )
        assert all(sheet.cell(r, 1).number_format == "@" for r in range(5, 5 + len(rows)))


def _value(column, choices: list[str], codes: list[str], row: int):
    """A valid cell as an officer types it: codes as text, numbers as numbers."""
    if column.kind in (Kind.KODE_DESA, Kind.KODE_WILAYAH):
        return codes[row]
    if column.kind is Kind.TAHUN:
        # jadwal_pelaporan's key is (dataset, tahun_data): two rows need two years
        return 2024 if column.name == "tahun" else 2024 + row
    if column.kind is Kind.TANGGAL:
        return datetime(2026, 3, 31)  # a date cell, as Excel stores a typed date
    if column.kind is Kind.INTEGER:
        return 12  # equal values satisfy every "x <= other column" rule, and > 0
    if column.kind is Kind.RUPIAH:
        return 1_500_000.5
    if column.kind is Kind.DECIMAL:
        return 0.5  # within 0-1 (IDM indices) and 0-100; nilai_idm = mean of three 0.5s
    if column.kind in (Kind.BOOLEAN, Kind.CATEGORY):
        return choices[-1]
    if column.kind is Kind.DIGITS:
        return "7" * (column.digits or 1)
    if column.name == "kpi_id":  # target_kpi names a KPI of the catalogue
        return sorted(KPI_BY_ID)[row]
    return f"Contoh {row + 1}"


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_filled_template_is_accepted_as_it_is(dataset, wilayah, reference, data_dir):
    workbook = template(dataset, wilayah)
    sheet, areas = workbook[DATA_SHEET], workbook[AREA_SHEET]
    listed = [r for r in areas.iter_rows(min_row=5, values_only=True) if r[0]]
    if dataset == "kemiskinan_kab":
        codes = [r[0] for r in listed if r[3] == "kabupaten"][:2]
    else:
        codes = [r[0] for r in listed][:2]  # desa-only templates list only desa
    lists = drop_downs(sheet)
    header = [c.value for c in sheet[1]]
    for row in range(2):
        for position, name in enumerate(header, start=1):
            column = DATASETS[dataset].column(name)
            letter = sheet.cell(1, position).column_letter
            sheet.cell(row + 2, position, _value(column, lists.get(letter, []), codes, row))

    s = Settings.from_env()
    path = s.inbox(dataset) / f"templat_{dataset}.xlsx"
    workbook.save(path)
    warehouse = Warehouse(s.warehouse_path)
    with warehouse.connect() as con:
        outcome = process_file(path, DATASETS[dataset], reference, con, s)
        no_area = DATASETS[dataset].villages is Villages.TANPA_WILAYAH
        area = "tahun_data" if no_area else DATASETS[dataset].area_column
        stored = con.sql(f"select {area} from {dataset} order by {area}").fetchall()
    assert outcome.status == "accepted", outcome.report
    assert outcome.rows == 2
    assert [r[0] for r in stored] == ([2024, 2025] if no_area else sorted(codes))


def test_empty_template_has_no_data_rows(wilayah, tmp_path):
    path = tmp_path / "kosong.xlsx"
    template("profil_desa", wilayah).save(path)
    with pytest.raises(UnreadableFile, match="tanpa baris data"):
        read_table(path, 50 * MB, 50 * MB)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.templat", *args],
        cwd=cwd,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_writes_the_template(tmp_path, wilayah):
    out = tmp_path / "templat.xlsx"
    result = run_cli("idm", "--kab", KAB, "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(out)
    assert [c.value for c in workbook[DATA_SHEET][1]] == expected_columns("idm")
    codes = [r[0] for r in workbook[AREA_SHEET].iter_rows(min_row=5, values_only=True) if r[0]]
    desa = wilayah.filter(
        (pl.col("tingkat") == "desa") & (pl.col("kode_kab") == KAB) & (pl.col("jenis") == "desa")
    )
    assert sorted(codes) == sorted(desa["kode"].to_list())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tidak_ada", "--kab", KAB), "Dataset 'tidak_ada' tidak dikenal"),
        (("umkm", "--kab", "62.99"), "Kode kabupaten/kota '62.99' tidak ada"),
        (("umkm",), "--kab"),
    ],
)
def test_cli_says_what_is_wrong(tmp_path, args, message):
    result = run_cli(*args, "--out", str(tmp_path / "x.xlsx"), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_areas_from_the_snapshot_shape_equal_those_from_the_reference(wilayah):
    """The dashboard passes the snapshot's `wilayah` (pandas); the CLI the CSV (polars)."""
    snapshot = wilayah.to_pandas()
    shapes = (snapshot, wilayah.to_arrow(), wilayah.to_dicts())  # pandas, pyarrow, plain rows
    for dataset in ("umkm", "kemiskinan_kab"):
        definition = definition_row(dataset)
        expected = template_areas(definition, wilayah, KAB)
        for shape in shapes:
            assert template_areas(definition, shape, KAB) == expected
    # One desa by hand: its kecamatan named from the same list, none of another kabupaten.
    areas, title = template_areas(definition_row("umkm"), wilayah, KAB)
    desa = wilayah.filter(pl.col("tingkat") == "desa", pl.col("kode_kab") == KAB).row(0, named=True)
    kecamatan = wilayah.filter(pl.col("kode") == desa["kode_kec"])["nama"].item()
    assert {"kode": desa["kode"], "kecamatan": kecamatan, "nama": desa["nama"],
            "jenis": desa["jenis"]} in areas  # fmt: skip
    assert (
        len(areas) == wilayah.filter(pl.col("tingkat") == "desa", pl.col("kode_kab") == KAB).height
    )
    assert title.endswith(f"({KAB})")
    with pytest.raises(KeyError):
        template_areas(definition_row("umkm"), snapshot, "62.99")


# --- the target template (issue 22): no kabupaten, a KPI drop-down, the target rules ----------


def list_choices(workbook: openpyxl.Workbook, letter: str) -> list[str]:
    """The drop-down of a column of the data sheet, inline or on the hidden choices sheet."""
    sheet = workbook[DATA_SHEET]
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        if str(validation.sqref).split(":")[0].rstrip("0123456789") != letter:
            continue
        formula = validation.formula1
        if formula.startswith('"'):
            return formula.strip('"').split(",")
        sheet_name, cells = formula.split("!")
        hidden = workbook[sheet_name.strip("'")]
        first, last = (c.replace("$", "") for c in cells.split(":"))
        return [c.value for row in hidden[first:last] for c in row]
    raise AssertionError(f"no drop-down on column {letter}")


def guide_rows(workbook: openpyxl.Workbook) -> dict[str, tuple]:
    """{column: (wajib, arti, jenis/satuan, aturan)} from the Petunjuk sheet's table."""
    rows = list(workbook["Petunjuk"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[:2] == ("kolom", "wajib"))
    return {r[0]: r[1:5] for r in rows[start + 1 :] if r[0]}


def test_cli_writes_the_target_template_without_a_kabupaten(tmp_path):
    out = tmp_path / "target.xlsx"
    result = run_cli("target_kpi", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(out)
    sheet = workbook[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    assert header == expected_columns("target_kpi")
    letter = sheet.cell(1, header.index("kpi_id") + 1).column_letter
    assert list_choices(workbook, letter) == sorted(KPI_BY_ID)  # every catalogue id, once
    assert "Pilih dari daftar" in sheet.cell(1, header.index("kpi_id") + 1).comment.text

    guide = guide_rows(workbook)
    tahun_rule = guide["tahun"][3]
    assert "2045" in tahun_rule
    assert "tahun berjalan" not in tahun_rule  # a target year is not capped at next year
    wilayah_text = " ".join(guide["kode_wilayah"][2:4])
    assert "00 (nasional)" in wilayah_text
    assert "62 untuk provinsi" in wilayah_text
    comment = sheet.cell(1, header.index("kode_wilayah") + 1).comment.text
    assert "00 untuk nasional" in comment


def test_kabupaten_level_templates_need_no_kab(tmp_path):
    out = tmp_path / "bps.xlsx"
    result = run_cli("kemiskinan_kab", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [c.value for c in openpyxl.load_workbook(out)[DATA_SHEET][1]] == expected_columns(
        "kemiskinan_kab"
    )


def test_filled_target_template_is_accepted(tmp_path, reference, data_dir):
    """An analyst picks KPIs from the drop-down, names the nation (00), the province (62) and a
    kabupaten, and sets targets up to 2045: the pipeline accepts the file as it is."""
    out = tmp_path / "target.xlsx"
    assert run_cli("target_kpi", "--out", str(out), cwd=tmp_path).returncode == 0
    workbook = openpyxl.load_workbook(out)
    sheet = workbook[DATA_SHEET]
    header = [c.value for c in sheet[1]]
    letter = sheet.cell(1, header.index("kpi_id") + 1).column_letter
    kpi_ids = list_choices(workbook, letter)
    rows = [
        (kpi_ids[0], "00", 2045, 0.5, "RPJPN 2025-2045"),
        (kpi_ids[-1], "62", 2029, 12.5, "RPJMD Kalimantan Tengah 2025-2029"),
        (kpi_ids[1], KAB, 2026, 3, "RPJMD Kabupaten Kapuas"),
    ]
    for r, values in enumerate(rows, start=2):
        names = ("kpi_id", "kode_wilayah", "tahun", "nilai", "sumber")
        for name, value in zip(names, values, strict=True):
            sheet.cell(r, header.index(name) + 1, value)
    s = Settings.from_env()
    path = s.inbox("target_kpi") / "target.xlsx"
    workbook.save(path)
    with Warehouse(s.warehouse_path).connect() as con:
        outcome = process_file(path, DATASETS["target_kpi"], reference, con, s)
        stored = con.sql(
            "select kpi_id, kode_wilayah, tahun from target_kpi order by kode_wilayah"
        ).fetchall()
    assert outcome.status == "accepted", outcome.report
    assert stored == [(kpi_ids[0], "00", 2045), (kpi_ids[-1], "62", 2029), (kpi_ids[1], KAB, 2026)]
