"""Kualitas Data page (AppTest on the page file, against the fixture snapshot)."""

from pathlib import Path

import pytest

from tests import snapshot_fixture as sf


@pytest.fixture
def snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return sf.prepare(tmp_path, monkeypatch)


def _table_with(at: object, column: str) -> object:
    for el in at.dataframe:  # type: ignore[attr-defined]
        df = sf.shown_table(el)
        if column in df.columns:
            return df
    raise AssertionError(column)


def test_real_and_sample_data(snapshot: Path) -> None:
    at = sf.run_page("kualitas_data")
    assert not at.exception
    sources = _table_with(at, "Jenis data").set_index("Dataset")
    assert sources.at["Dana Desa", "Jenis data"] == "Data contoh (sintetis)"
    assert sources.at["IDM", "Jenis data"] == "Data resmi"
    assert sources.at["Kemiskinan desa", "Baris"] == "18"
    assert "Data contoh" in at.warning[0].value


def test_rejected_files_with_their_reports(snapshot: Path) -> None:
    at = sf.run_page("kualitas_data")
    labels = [e.label for e in at.expander]
    assert any("dana\\_desa\\_kapuas\\_2024\\_salah\\.csv" in x for x in labels)
    assert any(c.value == sf.REJECTED_REPORT for c in at.code)
    log = _table_with(at, "Berkas")
    assert list(log["Status"]) == ["Duplikat", "Ditolak", "Ditolak", "Diterima", "Diterima"]
    assert log["Waktu (WIB)"].iloc[-1] == "2025-03-01 08.00"
    assert "**2** diterima · **2** ditolak · **1** duplikat" in sf.page_text(at)
    at.multiselect(key="_status_log").set_value(["Ditolak"]).run()
    assert set(_table_with(at, "Berkas")["Berkas"]) == {
        sf.REJECTED_FILE,
        "profil_dengan_nik.csv",
    }


def test_completeness_heatmap(snapshot: Path) -> None:
    at = sf.run_page("kualitas_data", tahun="2023")
    (heatmap,) = sf.figures(at)
    cells = heatmap["data"][0]
    assert [x.replace("<br>", " ") for x in cells["x"]] == [
        "Kotawaringin Barat",
        "Kapuas",
        "Kota Palangka Raya",
    ]
    row = cells["y"].index("BUMDes")
    assert cells["text"][row] == ["100%*", "0%*", "–"]  # Kapuas sent no BUMDes for 2023
    at.radio[0].set_value("dataset").run()
    (heatmap,) = sf.figures(at)
    assert heatmap["data"][0]["x"] == ["2023", "2024"]


def test_all_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, synthetic=False)
    at = sf.run_page("kualitas_data")
    assert not at.warning
    assert any("data resmi" in s.value for s in at.success)


# --- the error workbook of each rejected file (issue 22) -----------------------------------------

WORKBOOK_LABEL = "Unduh buku kerja kesalahan (.xlsx)"
NIK, OWNER = "6203014501900002", "Siti Aminah"
GOOD = (
    "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
    "62.01.01.2001,2024,1000,300,45,10\n"
)
# line 3: more poor households than households
BAD = GOOD + "62.01.01.2002,2024,900,200,250,10\n"
PERSONAL = (
    "kode_desa,tahun,nama_usaha,sektor,skala,NIK Pemilik,Nama Pemilik\n"
    f"62.01.01.2001,2024,Kedai Maju,kuliner,mikro,{NIK},{OWNER}\n"
)


def test_each_rejected_file_offers_its_error_workbook(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real run rejects two files; the page offers each one's workbook, as stored beside the
    file, and the personal-data one holds none of the personal values."""
    import io
    import zipfile

    import openpyxl

    from tests.conftest import drop, published, run_pipeline
    from tests.download_capture import record_downloads

    drop(data_dir, "kemiskinan_desa", "baik.csv", GOOD)
    drop(data_dir, "kemiskinan_desa", "salah.csv", BAD)
    drop(data_dir, "umkm", "pemilik.csv", PERSONAL)
    assert run_pipeline(data_dir).success
    stored = dict(
        published(
            data_dir, "select file_name, stored_as from ingest_log where status = 'rejected'"
        ).iter_rows()
    )
    assert set(stored) == {"salah.csv", "pemilik.csv"}

    downloads = record_downloads(monkeypatch)
    at = sf.run_page("kualitas_data")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count(WORKBOOK_LABEL) == 2
    for file_name, stored_as in stored.items():
        name = Path(stored_as).name + ".kesalahan.xlsx"
        content = downloads.content(name)
        assert content == (data_dir / f"{stored_as}.kesalahan.xlsx").read_bytes(), file_name

    bad = openpyxl.load_workbook(
        io.BytesIO(downloads.content(Path(stored["salah.csv"]).name + ".kesalahan.xlsx"))
    )
    rows = {r[0]: r[1] for r in bad["Data"].iter_rows(min_row=2, values_only=True)}
    assert rows == {2: "benar", 3: "SALAH"}

    personal = downloads.content(Path(stored["pemilik.csv"]).name + ".kesalahan.xlsx")
    with zipfile.ZipFile(io.BytesIO(personal)) as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist())
    assert b"Kedai Maju" in xml  # the file's other columns are there...
    for secret in (NIK, OWNER):
        assert secret.encode() not in xml  # ...its personal values are not


def test_error_workbook_is_read_only_under_rejected(snapshot: Path) -> None:
    """`stored_as` comes from a table: it never reaches a file outside rejected/."""
    from dashboards import data

    inside = snapshot / "rejected" / "dana_desa" / f"{sf.REJECTED_FILE}.kesalahan.xlsx"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(b"PK workbook")
    secret = snapshot / "akun" / "akun.kesalahan.xlsx"
    secret.parent.mkdir()
    secret.write_bytes(b"secret")
    archived = snapshot / "archive" / "dana_desa" / "x.csv.kesalahan.xlsx"
    archived.parent.mkdir(parents=True)
    archived.write_bytes(b"accepted file")
    (snapshot / "rejected" / "tautan.kesalahan.xlsx").symlink_to(secret)

    assert data.error_workbook(f"rejected/dana_desa/{sf.REJECTED_FILE}") == b"PK workbook"
    for stored_as in (
        "rejected/../akun/akun",
        "rejected/dana_desa/../../akun/akun",
        str(snapshot / "akun" / "akun"),
        "archive/dana_desa/x.csv",
        "rejected/tautan",  # a link out of rejected/
        "rejected/dana_desa/tidak_ada.csv",
        "",
        None,
    ):
        assert data.error_workbook_path(stored_as) is None, stored_as
    with pytest.raises(FileNotFoundError):
        data.error_workbook("rejected/../akun/akun")


def test_workbook_button_only_where_the_workbook_exists(snapshot: Path) -> None:
    """The fixture's rejected files have no workbook on disk; once one is there, its button is."""
    at = sf.run_page("kualitas_data")
    assert WORKBOOK_LABEL not in [b.proto.label for b in at.get("download_button")]
    path = snapshot / "rejected" / "dana_desa" / f"{sf.REJECTED_FILE}.kesalahan.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK")
    at = sf.run_page("kualitas_data")
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button")].count(WORKBOOK_LABEL) == 1


# --- the reporting calendar (issue 24) -----------------------------------------------------------


def _grid(at: object) -> object:
    return _table_with(at, "Kabupaten/kota")


def _cell_colours(at: object) -> dict[str, str]:
    """{cell text: its background colour} from the grid's Styler as the browser receives it."""
    import re

    for el in at.dataframe:  # type: ignore[attr-defined]
        arrow = el.proto.arrow_data
        if not arrow.HasField("styler") or "Kabupaten/kota" not in sf.shown_table(el).columns:
            continue
        shown = sf.shown_table(el)
        by_cell = {}  # "#T_x_row1_col2, #T_x_row2_col1 { background-color: #fff1c2; ... }"
        for selectors, colour in re.findall(
            r"([^{}]+)\{[^}]*background-color: (#\w+)", arrow.styler.styles
        ):
            for row, col in re.findall(r"_row(\d+)_col(\d+)", selectors):
                by_cell[(int(row), int(col))] = colour
        return {shown.iat[i, j]: colour for (i, j), colour in by_cell.items() if shown.iat[i, j]}
    raise AssertionError("no styled grid")


def test_calendar_grid_for_a_year(snapshot: Path) -> None:
    """2024 by hand (snapshot_fixture.KEPATUHAN): Kotawaringin Barat sent Dana Desa 29 days
    late and BUMDes a day late (31 January 16:30 UTC is 1 February in WIB); Kapuas has not
    sent BUMDes, 38 days after its deadline; Kemiskinan BPS came on time from every area,
    the province included. Dana Desa and BUMDes are not asked of the city (kelurahan only)."""
    at = sf.run_page("kualitas_data")
    assert not at.exception
    grid = _grid(at).set_index("Kabupaten/kota")
    assert list(grid.index) == [
        "Kalimantan Tengah",
        "Kotawaringin Barat",
        "Kapuas",
        "Kota Palangka Raya",
    ]
    assert list(grid.columns) == ["Dana Desa", "BUMDes", "Kemiskinan BPS"]
    assert grid.at["Kotawaringin Barat", "Dana Desa"] == "⚠ terlambat 29 hari"
    assert grid.at["Kotawaringin Barat", "BUMDes"] == "⚠ terlambat 1 hari"
    assert grid.at["Kapuas", "Dana Desa"] == "✓ tepat waktu"
    assert grid.at["Kapuas", "BUMDes"] == "✗ belum dikirim, 38 hari"
    assert grid.at["Kota Palangka Raya", "Dana Desa"] == ""
    assert set(grid["Kemiskinan BPS"]) == {"✓ tepat waktu"}
    # colours follow the status (and the marks say it without colour)
    colours = _cell_colours(at)
    assert colours["✓ tepat waktu"] == "#dafbe1"
    assert colours["⚠ terlambat 29 hari"] == colours["⚠ terlambat 1 hari"] == "#fff1c2"
    assert colours["✗ belum dikirim, 38 hari"] == "#ffd8d3"
    # on time: 5 of the 8 slices of 2024 (every one is due)
    assert sf.metric(at, "Tepat waktu: Kalimantan Tengah, 2024").value == sf.TEPAT_WAKTU_2024
    assert "5 dari 8 irisan" in sf.page_text(at)


def test_late_slices_per_kabupaten(snapshot: Path) -> None:
    at = sf.run_page("kualitas_data")
    (late,) = [sf.static_table(t) for t in at.table if "Status" in t.value.columns]
    assert list(zip(late["Kabupaten/kota"], late["Dataset"], late["Status"], strict=True)) == [
        ("Kabupaten Kotawaringin Barat", "Dana Desa", "⚠ terlambat 29 hari"),
        ("Kabupaten Kotawaringin Barat", "BUMDes", "⚠ terlambat 1 hari"),
        ("Kabupaten Kapuas", "BUMDes", "✗ belum dikirim, 38 hari"),
    ]
    assert list(late["Tenggat"]) == ["31 Januari 2025"] * 3
    assert list(late["Diterima (WIB)"]) == ["2025-03-01 08.00", "2025-01-31 23.30", "–"]


def test_calendar_filters_year_kabupaten_status(snapshot: Path) -> None:
    # 2023: Kapuas has not sent BUMDes for 404 days (2024 is a leap year); 2 of 4 on time
    at = sf.run_page("kualitas_data", tahun_jadwal="2023")
    grid = _grid(at).set_index("Kabupaten/kota")
    assert grid.at["Kapuas", "BUMDes"] == "✗ belum dikirim, 404 hari"
    assert sf.metric(at, "Tepat waktu: Kalimantan Tengah, 2023").value == "50,0%"
    # 2025: only UMKM, not yet due anywhere: no rate
    at = sf.run_page("kualitas_data", tahun_jadwal="2025")
    grid = _grid(at).set_index("Kabupaten/kota")
    assert set(grid["UMKM"]) == {"○ belum jatuh tempo"}
    assert sf.metric(at, "Tepat waktu: Kalimantan Tengah, 2025").value == "–"
    assert "Belum ada irisan tahun data 2025 yang jatuh tempo" in sf.page_text(at)
    # one kabupaten (the sidebar's), with its own rate beside the province's
    at = sf.run_page("kualitas_data", kab="62.01")
    grid = _grid(at)
    assert list(grid["Kabupaten/kota"]) == ["Kotawaringin Barat"]
    assert sf.metric(at, "Tepat waktu: Kabupaten Kotawaringin Barat, 2024").value == "33,3%"
    assert sf.metric(at, "Tepat waktu: Kalimantan Tengah, 2024").value == "62,5%"
    # status: only what is not sent; other cells are left empty
    at = sf.run_page("kualitas_data")
    at.multiselect(key="_status_kepatuhan").set_value(["belum dikirim"]).run()
    grid = _grid(at).set_index("Kabupaten/kota")
    assert grid.at["Kapuas", "BUMDes"] == "✗ belum dikirim, 38 hari"
    assert grid.at["Kapuas", "Dana Desa"] == ""
    assert grid.at["Kotawaringin Barat", "Dana Desa"] == ""


def test_calendar_download_holds_the_filtered_rows(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    import pandas as pd

    from tests.download_capture import record_downloads

    downloads = record_downloads(monkeypatch)
    at = sf.run_page("kualitas_data")
    at.multiselect(key="_status_kepatuhan").set_value(["terlambat"]).run()
    assert not at.exception
    rows = pd.read_csv(
        io.BytesIO(downloads.content("kepatuhan_pelaporan_2024.csv")), dtype={"kode_kab": str}
    )
    assert sorted(zip(rows["dataset"], rows["kode_kab"], rows["hari_terlambat"], strict=True)) == [
        ("bumdes", "62.01", 1),
        ("dana_desa", "62.01", 29),
    ]
    assert list(rows["pertama_diterima_wib"].sort_values()) == [
        "2025-01-31 23.30",
        "2025-03-01 08.00",
    ]
    assert downloads.content("kepatuhan_pelaporan_2024.xlsx")[:2] == b"PK"


def test_snapshot_without_calendar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sf.prepare(tmp_path, monkeypatch, with_kepatuhan=False)
    at = sf.run_page("kualitas_data")
    assert not at.exception
    assert "Belum ada jadwal pelaporan" in sf.page_text(at)


def test_sample_files_sent_are_said_to_be_loaded_not_delivered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2024's sent slices: Dana Desa and BUMDes from sample files, Kemiskinan BPS real. Only
    the sample ones are named: their arrival is when the sample was loaded."""
    sf.prepare(tmp_path / "contoh", monkeypatch)
    at = sf.run_page("kualitas_data")
    assert not at.exception
    (note,) = [c.value for c in at.caption if "data contoh dimuat" in c.value]
    assert note.startswith(":material/info: BUMDes, Dana Desa: data contoh.")
    assert "Kemiskinan BPS" not in note
    # 2025: nothing sent yet (UMKM not due), so nothing to say
    at = sf.run_page("kualitas_data", tahun_jadwal="2025")
    assert not [c for c in at.caption if "data contoh dimuat" in c.value]
    # all real: no note
    sf.prepare(tmp_path / "resmi", monkeypatch, synthetic=False)
    at = sf.run_page("kualitas_data")
    assert not at.exception
    assert not [c for c in at.caption if "data contoh dimuat" in c.value]
