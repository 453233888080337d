"""Personal data (UU PDP 27/2022, docs/contracts.md "Privacy"): judged by the words of a header, however
it is spelled, and by the shape of values, on every sheet of a workbook; a file with any is
rejected whole, and its content kept nowhere but rejected/."""

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter

from laporan.templat import build_template, template_areas
from pipelines.contracts.datasets import DATASETS, is_personal_header
from pipelines.ingest.reading import read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation import validate
from pipelines.settings import Settings
from pipelines.templat import definition_row
from tests.conftest import drop, published, run_pipeline

MB = 1024 * 1024
UMKM = "kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja"
UMKM_ROW = "62.01.01.2001,2024,Kripik Nanas Sumber Rejeki,kuliner,mikro,3"

PERSONAL_HEADERS = [
    "NIK",
    "nik",
    "NIK/KTP",
    "No KTP",
    "no. kk",
    "No. KK",
    "Nomor KK",
    "nmr_kk",
    "NoKK",
    "nokk",
    "NPWP Pemilik",
    "nomor paspor",
    "nama_kepala_keluarga",
    "Nama Kepala Keluarga",
    "Nama Pemilik Usaha",
    "nama-pemilik",
    "PEMILIK_NAMA",
    "namaPemilik",
    "nama kk",
    "Nama Penerima BLT",
    "nama_ketua_bumdes",
    "Nama Pengurus",
    "nama warga",
    "nama_penduduk",
    "Nama Anggota",
    "Nama Lengkap",
    # Named in issue 22: spellings a word list let through.
    "Pemilik",
    "NAMAPEMILIK",
    "Nomor Induk Kependudukan",
    "Nomor Kartu Keluarga",
    "NIK1",
    "NIKKepala",
    "N.I.K",
    "\uff2e\uff29\uff2b",  # full-width NIK
    "Nomor Pokok Wajib Pajak",
    "Penerima",
    "Ketua",
    "hp",
    "No HP",
    "telepon",
    "telp",
    "wa",
    "whatsapp",
    "email",
    "e-mail",
    "surel",
    # Beyond those: letters spelled out, glued words, digits, full width, long forms.
    "N I K",
    "n_i_k",
    "N.I.K.",
    "K.T.P",
    "NO. K.K.",
    "NIK_Pemilik",
    "nik-ktp",
    "nik.ktp",
    "No.KTP",
    "noKK",
    "NMR KK",
    "nik_2",
    "NIK (16 digit)",
    "NIK/No. KK",
    "\uff2e\uff4f \uff2b\uff2b",  # full-width No KK
    "nomorindukkependudukan",
    "NOMORKARTUKELUARGA",
    "nomor_kartu_tanda_penduduk",
    "Kartu Tanda Penduduk",
    "Kartu Keluarga",  # the card itself; the count unit is `kk`
    "Wajib Pajak",
    "npwp_pemilik",
    "No Paspor",
    "NIP Pendamping",
    "Nomor Identitas",
    "Nomor Rekening",
    "No Rek",
    "no_bpjs",
    # Names of people, and columns named only for a person.
    "NAMA KETUA",
    "nama anggota",
    "NAMA PENERIMA",
    "Nama Warga",
    "nama_petani",
    "nama_ibu_kandung",
    "NamaKepalaKeluarga",
    "NAMAPEMILIKUSAHA",
    "Kepala Keluarga",  # a column of family heads lists people; counts say `jumlah`
    "Kepala Desa",
    "Pemilik Usaha",
    "Penerima BLT",
    "PENERIMABLT",
    "Ketua BUMDes",
    "ketua_kelompok",
    "Wakil Ketua",
    "pengurus_bumdes",
    "Bendahara",
    "Alamat Pemilik",
    # Contact details.
    "No. Telp",
    "Telp.",
    "no_telp_pemilik",
    "Nomor WhatsApp",
    "Whats App",
    "Nomor HP/WA",
    "no_wa",
    "NoWA",
    "nomorhp",
    "nohp",
    "HP Pemilik",
    "No. Handphone",
    "ponsel",
    "Nomor Telepon Seluler",
    "Alamat Email",
    "E-Mail",
    "\uff45\uff4d\uff41\uff49\uff4c",  # full-width email
    "Surel",
    "Kontak",
    "Contact Person",
    "Surat Elektronik",
    # Particulars of a person, and more roles.
    "Tanggal Lahir",
    "TTL",
    "Nama KRT",
    "Penanggung Jawab",
    "Nama Petugas",
    "nama_pelaku_usaha",
    "KK No",
]
AGGREGATE_HEADERS = [
    "nama_usaha",
    "Nama Usaha",
    "nama_bumdes",
    "nama_desa",
    "nama_wilayah",
    "jumlah_kk",
    "kk_miskin",
    "kk_miskin_ekstrem",
    "Jumlah KK",
    "pemilik_perempuan",  # a yes/no about the business, no name
    "kontribusi_pades",
    "nib",
    "nikel_ton",  # a word that merely starts like nik
    # Places, organisations and products named with `nama`.
    "nama_kelompok",
    "nama_kecamatan",
    "nama_kabupaten",
    "nama_dusun",
    "nama_produk_unggulan",
    "Nama",  # alone: the area list of a template names villages with it
    # Counts and shares of people, and traits of groups.
    "jumlah_kk_miskin",
    "jumlah_anggota",
    "jumlah_warga",
    "jumlah_penerima_blt",
    "jumlah_kepala_keluarga",
    "kepala_keluarga_miskin",
    "jumlah_pemilik_nib",
    "penduduk_miskin",
    "persentase_penduduk_miskin",
    "Penduduk (jiwa)",
    "jumlah_penduduk_perempuan",
    "anggota_perempuan",
    "pekerja_wanita",
    "kelompok_wanita_tani",
    "KK",  # the household count unit
    "blt_kpm",
    "musdes_peserta",
    # Units that receive: not a person.
    "keluarga penerima BLT Dana Desa",
    "desa_penerima_dd",
    "kelompok_penerima_manfaat",
    # Ordinary words that merely contain the letters of a personal word.
    "teknik",
    "teknisi",
    "teknik_budidaya",
    "Teknik Pengolahan",
    "unik",
    "kkn",
    "kkn_tematik",
    "nikel",
    "nikmat",
    "panik",
    "wakil",
    "wanita",
    "kawasan",
    "warung",
    "wahana",
    "tanah_wakaf",
    "jawa",
    "hpp",
    "harga_hpp",
    "penerimaan_pajak_desa",
    "status_kepemilikan_lahan",
    "hak_milik",
    "telaga",
    "emas",
    # Codes, numbers and the like.
    "kode_kbli",
    "kode_desa",
    "kode_pos",
    "NIB",
    "Nomor Induk Berusaha",
    "No",
    "no_urut",
    "nomor",
    "tahun_anggaran",
    "omzet_tahunan",
    "laba_bersih",
    "jumlah_unit_usaha",
    "desa_wisata",
    "website_desa",
    "alamat_kantor_desa",
    "jumlah_lahir_hidup",
    "angka_kelahiran",
    "pupuk_organik",
    "produksi_telur",
    "pariwisata",
    "swadaya_rp",
    "transaksi_elektronik",
    "jumlah_pelaku_usaha",
    "anggota_kelompok",
    "jumlah_pengurus",
    "usia_bumdes",
    "Catatan Petugas",  # the officer's own notes column
    "Penerima BLT (KPM)",  # counted in families
    "Penerima (orang)",
]


@pytest.mark.parametrize("header", PERSONAL_HEADERS)
def test_personal_headers_are_recognised_by_their_words(header):
    assert is_personal_header(header)


@pytest.mark.parametrize("header", AGGREGATE_HEADERS)
def test_place_organisation_and_count_headers_pass(header):
    assert not is_personal_header(header)


def test_every_declared_column_and_alias_passes():
    declared = {
        name
        for dataset in DATASETS.values()
        for column in dataset.all_columns
        for name in (column.name, *column.aliases)
    }
    assert len(declared) > 60
    assert sorted(h for h in declared if is_personal_header(h)) == []


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def _validate_umkm(tmp_path: Path, reference: Reference, content: str):
    path = tmp_path / "umkm.csv"
    path.write_text(content, encoding="utf-8")
    return validate(read_table(path, 50 * MB, 50 * MB), DATASETS["umkm"], reference)


@pytest.mark.parametrize(
    "header", ["NIK/KTP", "No. KK", "nama_kepala_keluarga", "Nama Pemilik Usaha"]
)
def test_file_with_a_personal_column_is_rejected_naming_the_column_only(
    tmp_path, reference, header
):
    v = _validate_umkm(tmp_path, reference, f"{UMKM},{header}\n{UMKM_ROW},Siti Rahmawati\n")
    assert not v.accepted
    assert v.personal_data
    assert header in v.file_errors[0]
    assert "Siti" not in " ".join(v.file_errors + v.file_warnings)


def test_aggregate_columns_are_accepted(tmp_path, reference):
    # nama_usaha is the key itself; an unknown count column is only a warning.
    v = _validate_umkm(tmp_path, reference, f"{UMKM},jumlah_kk\n{UMKM_ROW},12\n")
    assert v.accepted, v.file_errors
    assert not v.personal_data


@pytest.mark.parametrize(
    "value",
    [
        "6201010101900001",
        "6201 0101 0190 0001",
        "6201.0101.0190.0001",
        "6201-0101-0190-0001",
        "6201–0101–0190–0001",  # en dash, as word processors write it
        "'6201010101900001",  # Excel's text marker
        "6201\u00a00101\u00a00190\u00a00001",
    ],
)
def test_sixteen_digit_values_are_personal_whatever_the_separators(tmp_path, reference, value):
    v = _validate_umkm(tmp_path, reference, f"{UMKM},catatan\n{UMKM_ROW},{value}\n")
    assert v.personal_data
    assert "catatan" in v.file_errors[0]
    digits = "".join(ch for ch in value if ch.isdigit())
    assert digits[:8] not in " ".join(v.file_errors)


@pytest.mark.parametrize("value", ["620101010190000", "62010101019000012", "Rp 1.234.567.890"])
def test_other_long_numbers_are_not_personal(tmp_path, reference, value):
    v = _validate_umkm(tmp_path, reference, f"{UMKM},catatan\n{UMKM_ROW},{value}\n")
    assert not v.personal_data


def test_sixteen_digit_excel_number_is_personal(tmp_path, reference):
    path = tmp_path / "umkm.xlsx"
    with xlsxwriter.Workbook(path) as workbook:
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, [*UMKM.split(","), "keterangan"])
        sheet.write_row(1, 0, [*UMKM_ROW.split(","), 6201010101900001])
    v = validate(read_table(path, 50 * MB, 50 * MB), DATASETS["umkm"], reference)
    assert v.personal_data
    assert "keterangan" in v.file_errors[0]


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())


def test_rejected_personal_file_exists_only_under_rejected(data_dir):
    """The owners' names reach no archive, warehouse, snapshot, log or report."""
    marker = "Wahyuningsih Kartikasari"
    content = f"{UMKM},Nama Pemilik Usaha\n{UMKM_ROW},{marker}\n"
    drop(data_dir, "umkm", "umkm_dengan_pemilik.csv", content)
    result = run_pipeline(data_dir)
    assert result.success

    holders = _files_holding(data_dir, marker.encode())
    assert len(holders) == 1, holders
    [original] = holders
    assert original.relative_to(data_dir).parts[:2] == ("rejected", "umkm")
    assert original.read_text(encoding="utf-8") == content  # byte for byte

    reports = list((data_dir / "rejected" / "umkm").glob("*.laporan.txt"))
    assert len(reports) == 1
    report = reports[0].read_text(encoding="utf-8")
    assert "Nama Pemilik Usaha" in report
    assert "data pribadi" in report

    log = published(data_dir, "select status, report from ingest_log")
    assert log["status"].to_list() == ["rejected"]
    assert marker not in log["report"][0]
    assert published(data_dir, "select count(*) as n from umkm")["n"][0] == 0


def _umkm_with(header: str, value: str) -> str:
    """An umkm file with one extra column, quoted as a spreadsheet would export it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*UMKM.split(","), header])
    writer.writerow([*UMKM_ROW.split(","), value])
    return buffer.getvalue()


PERSONAL_VALUES = [
    # A 16-digit NIK or No. KK in every writing a spreadsheet produces.
    '="3201234567890123"',  # Excel's text formula
    "3201234567890123.0",  # a float's tail
    "3201234567890123.00",
    "3,201,234,567,890,123",  # thousands separators
    "3.201.234.567.890.123",
    "3.201234567890123E+15",  # scientific notation
    "3.20123E+15",  # ... even with digits lost, the number was 16 digits long
    "NIK 3201234567890123",  # inside text
    "NIK: 3201-2345-6789-0123.",
    "KK 3201234567890123, NIK 3201234567890124",
    "\uff13\uff12\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10\uff11\uff12\uff13",
    # A Rupiah of 16 whole digits is implausible: when in doubt, reject.
    "1234567890123456.00",
    # Mobile numbers.
    "081234567890",
    "0812-3456-7890",
    "0812 3456 7890",
    "0852.1234.5678",
    "(0812) 3456-7890",
    "+6281234567890",
    "+62 812-3456-7890",
    "62812 3456 7890",
    "62-812-3456-7890",
    "6281234567890",
    "+62 536 3221234",  # any number written with +62
    "Hubungi 0812 3456 789",
    "WA: +62 813 1234 5678",
    # E-mail addresses.
    "budi@gmail.com",
    "Siti.Aminah@desa.go.id",
    "kontak: bumdes_maju@yahoo.co.id",
    "budi\uff20gmail.com",  # full-width @
]
ORDINARY_VALUES = [
    "1234567890123",  # a 13-digit NIB
    "8120001232139",
    "6203052001",  # a kode_desa, 10 digits
    "62.03.05.2001",
    "62.08.10.2001",
    "6200",
    "2024",
    "47111",  # kode_kbli
    "150000000",
    "1.500.000.000",
    "Rp 1.234.567.890",
    "Rp 1.500.000,00",
    "1234567890123456,50",  # money: two decimals, not an identity number
    "1234567890123456.50",
    "12345678901234,50",
    "1.234.567.890.123,45",
    "1500000.5",
    "628500000",
    "6285000000",
    "05363221234",  # a landline without +62
    "620101010190000",  # 15 digits
    "62010101019000012",  # 17 digits
    "@bumdesmaju",  # a handle, not an address
    "Toko HP Jaya",
    "2020-2024",
    "12/05/2024",
]


@pytest.mark.parametrize("value", PERSONAL_VALUES)
def test_personal_values_are_found_in_any_writing(tmp_path, reference, value):
    v = _validate_umkm(tmp_path, reference, _umkm_with("catatan", value))
    assert not v.accepted
    assert v.personal_data
    assert "catatan" in v.file_errors[0]
    digits = "".join(ch for ch in value if ch.isdigit())
    text = " ".join(v.file_errors + v.file_warnings)
    assert digits[-6:] not in text if len(digits) >= 6 else "@" not in text


@pytest.mark.parametrize("value", ORDINARY_VALUES)
def test_codes_money_and_counts_are_not_personal(tmp_path, reference, value):
    v = _validate_umkm(tmp_path, reference, _umkm_with("catatan", value))
    assert not v.personal_data, v.file_errors
    assert v.accepted, v.file_errors  # catatan is only an unknown column (a warning)


def test_a_full_row_of_declared_values_is_accepted(tmp_path, reference):
    content = (
        "kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja,omzet_tahunan,nib\n"
        "6203052001,2024,Warung HP Maju,perdagangan,mikro,3,1234567890.50,1234567890123\n"
    )
    v = _validate_umkm(tmp_path, reference, content)
    assert v.accepted, v.file_errors
    assert v.rows["nib"].to_list() == ["1234567890123"]


@pytest.mark.parametrize("nib", ["6281234567890", "0812345678901", "6285212345678"])
def test_a_nib_that_starts_like_a_phone_number_is_a_nib(tmp_path, reference, nib):
    """A NIB is 13 digits and may begin 628 or 0812 (the sample's own NIBs did, and 13 of 14
    sample UMKM files were refused): in the declared nib column it is the business's number."""
    content = (
        "kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja,omzet_tahunan,nib\n"
        f"6203052001,2024,Warung Maju,perdagangan,mikro,3,1234567890.50,{nib}\n"
    )
    v = _validate_umkm(tmp_path, reference, content)
    assert not v.personal_data, v.file_errors
    assert v.rows["nib"].to_list() == [nib]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("nib", "3201234567890123"),  # a NIK in the NIB column: 16 digits
        ("nib", "0812-3456-7890"),  # a phone number written as one, not 13 plain digits
        ("catatan", "6281234567890"),  # the same 13 digits outside the declared column
    ],
)
def test_the_nib_exemption_covers_only_a_nib_in_its_column(tmp_path, reference, header, value):
    content = (
        f"kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja,omzet_tahunan,{header}\n"
        f"6203052001,2024,Warung Maju,perdagangan,mikro,3,1234567890.50,{value}\n"
    )
    v = _validate_umkm(tmp_path, reference, content)
    assert v.personal_data, value


# --- Every sheet of a workbook --------------------------------------------------------------


def _workbook(path: Path, extra: dict[str, list[tuple[int, int, object]]], hidden=()) -> Path:
    """An umkm workbook: a clean first sheet, then other sheets of (row, column, value) cells."""
    with xlsxwriter.Workbook(path) as workbook:
        data = workbook.add_worksheet("Data")
        data.write_row(0, 0, UMKM.split(","))
        data.write_row(1, 0, UMKM_ROW.split(","))
        for name, cells in extra.items():
            sheet = workbook.add_worksheet(name)
            for row, col, value in cells:
                sheet.write(row, col, value)
            if name in hidden:
                sheet.hide()
    return path


def _validate_path(path: Path, reference: Reference):
    return validate(read_table(path, 50 * MB, 50 * MB), DATASETS["umkm"], reference)


OWNERS = [
    (0, 0, "nama_usaha"),
    (0, 1, "Nama Pemilik"),
    (0, 2, "NIK"),
    (1, 0, "Kripik Nanas Sumber Rejeki"),
    (1, 1, "Wahyuningsih Kartikasari"),
    (1, 2, "6201014501900002"),
]


def test_owners_on_a_second_sheet_reject_the_workbook(tmp_path, reference):
    v = _validate_path(_workbook(tmp_path / "umkm.xlsx", {"Pemilik": OWNERS}), reference)
    assert not v.accepted
    assert v.personal_data
    [error] = v.file_errors
    assert "lembar 'Pemilik'" in error
    assert "kolom B, C" in error
    assert "Wahyuningsih" not in error
    assert "6201014501900002" not in error
    assert v.personal_columns == []  # the first sheet itself is clean


def test_a_personal_header_alone_on_another_sheet_rejects(tmp_path, reference):
    """Below a title, from column C on; no value gives it away."""
    cells = [(0, 0, "Rekap pelaku usaha"), (3, 2, "No. HP"), (3, 3, "jumlah"), (4, 3, 3)]
    v = _validate_path(_workbook(tmp_path / "umkm.xlsx", {"Rekap": cells}), reference)
    assert v.personal_data
    assert "lembar 'Rekap'" in v.file_errors[0]
    assert "kolom C" in v.file_errors[0]
    assert "kolom C, D" not in v.file_errors[0]


def test_personal_values_alone_on_a_hidden_sheet_reject(tmp_path, reference):
    cells = [(4, 3, 6201014501900002), (6, 4, "0812-3456-7890"), (7, 5, "budi@gmail.com")]
    path = _workbook(tmp_path / "umkm.xlsx", {"Lampiran": cells}, hidden=("Lampiran",))
    v = _validate_path(path, reference)
    assert v.personal_data
    assert "lembar 'Lampiran'" in v.file_errors[0]
    assert "kolom D, E, F" in v.file_errors[0]
    for secret in ("6201014501900002", "3456", "budi"):
        assert secret not in v.file_errors[0]


def test_personal_data_on_the_first_sheet_and_another_are_both_named(tmp_path, reference):
    path = tmp_path / "umkm.xlsx"
    with xlsxwriter.Workbook(path) as workbook:
        data = workbook.add_worksheet("Data")
        data.write_row(0, 0, [*UMKM.split(","), "Telp"])
        data.write_row(1, 0, [*UMKM_ROW.split(","), "0812 1111 2222"])
        workbook.add_worksheet("Pemilik").write_row(0, 0, ["Ketua", "Siti"])
    v = _validate_path(path, reference)
    assert v.personal_columns == ["Telp"]
    assert "Telp" in v.file_errors[0]
    assert "lembar 'Pemilik'" in v.file_errors[0]
    assert "kolom A" in v.file_errors[0]
    assert "Siti" not in v.file_errors[0]


def _files_holding_text(root: Path, needle: str) -> list[Path]:
    """Files whose bytes hold `needle`, looking inside zip containers (.xlsx) too."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                data += b"".join(archive.read(n) for n in archive.namelist())
        if needle.encode() in data:
            found.append(path)
    return found


def test_workbook_with_owners_on_another_sheet_exists_only_under_rejected(data_dir, tmp_path):
    path = _workbook(tmp_path / "umkm_dua_lembar.xlsx", {"Pemilik": OWNERS})
    content = path.read_bytes()
    drop(data_dir, "umkm", path.name, content)
    assert run_pipeline(data_dir).success

    for secret in ("Wahyuningsih Kartikasari", "6201014501900002"):
        [original] = _files_holding_text(data_dir, secret)
        assert original.relative_to(data_dir).parts[:2] == ("rejected", "umkm")
        assert original.read_bytes() == content  # byte for byte
    assert not list((data_dir / "archive").rglob("*.xlsx"))
    [report] = (data_dir / "rejected" / "umkm").glob("*.laporan.txt")
    text = report.read_text(encoding="utf-8")
    assert "data pribadi" in text
    assert "lembar 'Pemilik'" in text
    assert "kolom B, C" in text
    log = published(data_dir, "select status, report from ingest_log")
    assert log["status"].to_list() == ["rejected"]
    assert published(data_dir, "select count(*) as n from umkm")["n"][0] == 0


@pytest.fixture(scope="module")
def wilayah() -> pl.DataFrame:
    from pipelines.ingest.reference import read_wilayah

    return read_wilayah(Settings.from_env().wilayah_csv)


def test_a_filled_template_with_its_own_sheets_is_accepted(tmp_path, reference, wilayah):
    definition = definition_row("umkm")
    areas, title = template_areas(definition, wilayah, "62.03")
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(definition, areas, title)))
    assert workbook.sheetnames[1:] == ["Daftar Wilayah", "Petunjuk"]
    data = workbook["Data"]
    header = [c.value for c in data[1]]
    row = {
        "kode_desa": areas[0]["kode"],
        "tahun": 2024,
        "nama_usaha": "Kripik Nanas Sumber Rejeki",
        "sektor": "kuliner",
        "skala": "mikro",
        "tenaga_kerja": 3,
        "omzet_tahunan": 125_000_000.5,
        "nib": "8120001232139",
    }
    for position, name in enumerate(header, start=1):
        data.cell(2, position, row.get(name))
    path = tmp_path / "templat_umkm.xlsx"
    workbook.save(path)
    v = _validate_path(path, reference)
    assert v.accepted, v.file_errors
    assert not v.personal_data


def test_every_area_name_and_code_of_the_province_passes(wilayah):
    """Village names may sit on a sheet as labels; codes, dotted or not, as values."""
    from pipelines.contracts.privacy import personal_value_columns

    assert wilayah.height > 1500
    assert [n for n in wilayah["nama"].to_list() if is_personal_header(n)] == []
    codes = wilayah.select(
        pl.col("kode"), pl.col("kode").str.replace_all(".", "", literal=True).alias("digits")
    )
    assert personal_value_columns(codes) == []


@pytest.mark.parametrize("position", [0, 7, 123, 499, 999])
def test_one_personal_value_among_repeated_ones_is_found_wherever_it_is(position):
    """A column of few distinct values is judged once per value: the one e-mail address,
    NIK and phone number among a thousand repeated cells are each found, at any row."""
    from pipelines.contracts.privacy import personal_value_columns

    def column(secret: str) -> list[str]:
        cells = [f"62.01.01.{2001 + i % 40}" for i in range(1000)]
        cells[position] = secret
        return cells

    frame = pl.DataFrame(
        {
            "email": column("budi@gmail.com"),
            "nik": column("6201014501900002"),
            "hp": column("0812-3456-7890"),
            "bersih": column("62.01.01.2041"),
        }
    )
    assert personal_value_columns(frame) == ["email", "nik", "hp"]


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_every_template_sheet_passes_for_every_kabupaten(dataset, wilayah, tmp_path):
    """The area list (every village name of the province) and the instructions of every
    dataset's template hold nothing the rule takes for personal data."""
    from pipelines.ingest.reading import read_xlsx
    from pipelines.ingest.validation import find_personal_data

    definition = definition_row(dataset)
    kabupaten = wilayah.filter(pl.col("tingkat") == "kabupaten")["kode"].to_list()
    assert len(kabupaten) == 14
    for kode_kab in kabupaten:
        areas, title = template_areas(definition, wilayah, kode_kab)
        path = tmp_path / f"{dataset}_{kode_kab}.xlsx"
        path.write_bytes(build_template(definition, areas, title))
        table = read_xlsx(path, 50 * MB)
        assert len(table.other_sheets) >= 2
        found = find_personal_data(table, DATASETS[dataset])
        assert (found.columns, found.sheets) == ([], {}), kode_kab
