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
