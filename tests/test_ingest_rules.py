"""Every rule of docs/contracts.md: a fixture that breaks it is rejected with that reason,
and every accepted format and variant goes through. No Dagster here: the ingest core is plain
Python, tested directly on the shipped reference list."""

import io
import re
import zipfile
from functools import partial
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from pipelines.contracts.datasets import DATASETS, Column, Kind
from pipelines.ingest import parsing
from pipelines.ingest.reading import UnreadableFile, read_table
from pipelines.ingest.reference import Reference
from pipelines.ingest.validation import ERROR, WARNING, Validation, validate
from pipelines.settings import Settings

MB = 1024 * 1024


@pytest.fixture(scope="module")
def reference() -> Reference:
    s = Settings.from_env()
    return Reference.load(s.wilayah_csv, s.bps_crosswalk_csv, s.idm_thresholds_csv, "62")


def check(
    tmp_path: Path, reference: Reference, dataset: str, content, name="berkas.csv", encoding="utf-8"
) -> Validation:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return validate(read_table(path, 50 * MB, 50 * MB), DATASETS[dataset], reference)


def errors(v: Validation) -> list[tuple]:
    return v.issues.filter(pl.col("tingkat") == ERROR).select("baris", "kolom", "alasan").rows()


def only_error(v: Validation) -> tuple:
    assert not v.accepted
    found = errors(v)
    assert len(found) == 1, found
    return found[0]


DANA = "kode_desa,tahun,pagu,salur,realisasi,blt_kpm,padat_karya_tk,belanja_pemberdayaan\n"
KEM = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
IDM = "kode_desa,tahun,iks,ike,ikl,nilai_idm,status_idm\n"
PROFIL = (
    "kode_desa,tahun,aparatur_total,aparatur_terlatih,aparatur_pendidikan_sma,"
    "apbdes_tepat_waktu,musdes_jumlah,musdes_peserta,musdes_peserta_perempuan,swadaya_rp,"
    "produk_unggulan,desa_wisata,lahan_potensial_ha,lahan_dimanfaatkan_ha\n"
)
PROFIL_ROW = "62.01.01.2001,2024,12,6,10,ya,4,120,40,5000000,madu,rintisan,100,40\n"
BUMDES = "kode_desa,tahun,nama_bumdes,status_aktif,badan_hukum,klasifikasi,kontribusi_pades\n"
UMKM = "kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja,omzet_tahunan,nib\n"
KAB = "kode_wilayah,tahun,persentase_miskin\n"


# --- rules that reject a row: (dataset, file content, column, words in the reason) ----------
ROW_RULES = {
    "angka_tidak_sah": (DANA + "62.01.01.2001,2024,12a,0,0,,,\n", "pagu", "bukan angka"),
    "rupiah_tiga_desimal": (
        DANA + '62.01.01.2001,2024,"1,234",0,0,,,\n',
        "pagu",
        "dua angka desimal",
    ),
    "bulat_berpecahan": (DANA + "62.01.01.2001,2024,100,50,10,3.5,,\n", "blt_kpm", "bulat"),
    "wajib_kosong": (DANA + "62.01.01.2001,2024,,0,0,,,\n", "pagu", "wajib diisi"),
    "format_kode": (DANA + "62.1.1.2001,2024,100,50,10,,,\n", "kode_desa", "format kode"),
    "kode_tidak_dikenal": (DANA + "62.01.01.2999,2024,100,50,10,,,\n", "kode_desa", "tidak ada"),
    "kelurahan_dana_desa": (DANA + "62.01.01.1011,2024,100,50,10,,,\n", "kode_desa", "kelurahan"),
    "tahun_terlalu_awal": (DANA + "62.01.01.2001,2014,100,50,10,,,\n", "tahun", "2015"),
    "salur_melebihi_pagu": (DANA + "62.01.01.2001,2024,100,150,10,,,\n", "salur", "pagu"),
    "realisasi_melebihi_salur": (DANA + "62.01.01.2001,2024,100,50,60,,,\n", "realisasi", "salur"),
    "pemberdayaan_melebihi_realisasi": (
        DANA + "62.01.01.2001,2024,100,50,10,,,20\n",
        "belanja_pemberdayaan",
        "realisasi",
    ),
    "padat_karya_negatif": (DANA + "62.01.01.2001,2024,100,50,10,,-1,\n", "padat_karya_tk", ">= 0"),
    "penduduk_nol": (KEM + "62.01.01.2001,2024,0,10,1,0\n", "jumlah_penduduk", "> 0"),
    "miskin_melebihi_kk": (KEM + "62.01.01.2001,2024,100,10,11,0\n", "kk_miskin", "jumlah_kk"),
    "ekstrem_melebihi_miskin": (
        KEM + "62.01.01.2001,2024,100,10,2,3\n",
        "kk_miskin_ekstrem",
        "kk_miskin",
    ),
    "idm_kelurahan": (IDM + "62.01.01.1011,2024,0.7,0.6,0.8,,\n", "kode_desa", "kelurahan"),
    "idm_komponen_di_atas_1": (IDM + "62.01.01.2001,2024,1.2,0.6,0.8,,\n", "iks", "<= 1"),
    "nilai_idm_tidak_cocok": (
        IDM + "62.01.01.2001,2024,0.7,0.6,0.8,0.9,\n",
        "nilai_idm",
        "(iks + ike + ikl) / 3",
    ),
    "status_idm_tidak_dikenal": (
        IDM + "62.01.01.2001,2024,0.7,0.6,0.8,,hebat\n",
        "status_idm",
        "salah satu dari",
    ),
    "aparatur_terlatih_melebihi_total": (
        PROFIL + PROFIL_ROW.replace(",12,6,", ",12,13,"),
        "aparatur_terlatih",
        "aparatur_total",
    ),
    "perempuan_melebihi_peserta": (
        PROFIL + PROFIL_ROW.replace(",120,40,", ",120,140,"),
        "musdes_peserta_perempuan",
        "musdes_peserta",
    ),
    "lahan_dimanfaatkan_melebihi_potensial": (
        PROFIL + PROFIL_ROW.replace(",100,40", ",100,140"),
        "lahan_dimanfaatkan_ha",
        "lahan_potensial_ha",
    ),
    "desa_wisata_tidak_dikenal": (
        PROFIL + PROFIL_ROW.replace("rintisan", "sedang"),
        "desa_wisata",
        "salah satu dari",
    ),
    "apbdes_bukan_ya_tidak": (
        PROFIL + PROFIL_ROW.replace(",ya,", ",mungkin,"),
        "apbdes_tepat_waktu",
        "ya/tidak",
    ),
    "profil_kelurahan": (
        PROFIL + PROFIL_ROW.replace("62.01.01.2001", "62.01.01.1011"),
        "kode_desa",
        "kelurahan",
    ),
    "bumdes_status_tidak_dikenal": (
        BUMDES + "62.01.01.2001,2024,BUMDes Maju,kadang,ya,dasar,0\n",
        "status_aktif",
        "ya/tidak",
    ),
    "bumdes_klasifikasi_tidak_dikenal": (
        BUMDES + "62.01.01.2001,2024,BUMDes Maju,ya,ya,raksasa,0\n",
        "klasifikasi",
        "salah satu",
    ),
    "bumdes_laba_boleh_negatif_tapi_kontribusi_tidak": (
        BUMDES + "62.01.01.2001,2024,BUMDes Maju,ya,ya,dasar,-5\n",
        "kontribusi_pades",
        ">= 0",
    ),
    "umkm_skala_tidak_dikenal": (
        UMKM + "62.01.01.2001,2024,Warung Ani,kuliner,raksasa,2,,\n",
        "skala",
        "salah satu",
    ),
    "umkm_nib_bukan_13_angka": (
        UMKM + "62.01.01.2001,2024,Warung Ani,kuliner,mikro,2,,12345\n",
        "nib",
        "13 angka",
    ),
    "persentase_di_atas_100": (KAB + "62.01,2024,101\n", "persentase_miskin", "<= 100"),
    "kode_wilayah_tidak_dikenal": (KAB + "62.99,2024,5\n", "kode_wilayah", "tidak ada"),
}


@pytest.mark.parametrize("case", list(ROW_RULES))
def test_row_rule_rejects_file_with_reason(tmp_path, reference, case):
    dataset = {
        DANA: "dana_desa",
        KEM: "kemiskinan_desa",
        IDM: "idm",
        PROFIL: "profil_desa",
        BUMDES: "bumdes",
        UMKM: "umkm",
        KAB: "kemiskinan_kab",
    }[ROW_RULES[case][0].split("\n")[0] + "\n"]
    content, column, reason = ROW_RULES[case]
    v = check(tmp_path, reference, dataset, content)
    line, col, text = only_error(v)
    assert (line, col) == (2, column)
    assert reason in text
    assert v.rows is None


def test_every_bad_row_is_listed_not_only_the_first(tmp_path, reference):
    content = KEM + "".join(
        f"62.01.01.20{n:02d},2024,100,10,{bad},0\n" for n, bad in [(1, 11), (2, 5), (3, 12)]
    )
    v = check(tmp_path, reference, "kemiskinan_desa", content)
    assert [(line, col) for line, col, _ in errors(v)] == [(2, "kk_miskin"), (4, "kk_miskin")]


def test_duplicate_key_in_file_names_both_lines(tmp_path, reference):
    content = KEM + "62.01.01.2001,2024,100,10,1,0\n6201012001,2024,100,10,2,0\n"
    found = errors(check(tmp_path, reference, "kemiskinan_desa", content))
    assert [line for line, _, _ in found] == [2, 3]
    assert all("lebih dari sekali" in reason for _, _, reason in found)


def test_bumdes_name_key_ignores_case_and_spaces(tmp_path, reference):
    content = BUMDES + (
        "62.01.01.2001,2024,BUMDes Maju Jaya,ya,ya,dasar,0\n"
        "62.01.01.2001,2024,bumdes  maju jaya,tidak,tidak,,\n"
    )
    assert len(errors(check(tmp_path, reference, "bumdes", content))) == 2


def test_umkm_unknown_sector_becomes_lainnya_with_a_warning(tmp_path, reference):
    content = UMKM + '62.01.01.1011,2024,Bengkel Budi,otomotif,Mikro,2,"Rp 12.500.000",\n'
    v = check(tmp_path, reference, "umkm", content)
    assert v.accepted
    assert v.rows["sektor"].to_list() == ["lainnya"]
    assert v.rows["skala"].to_list() == ["mikro"]
    warnings = v.issues.filter(pl.col("tingkat") == WARNING)
    assert warnings.select("kolom", "nilai").rows() == [("sektor", "otomotif")]


def test_idm_status_disagreeing_with_score_is_a_warning_and_kept(tmp_path, reference):
    # The real Kemendesa row: 62.13.06.2003 Kupang Bersih, IDM 0.741, stated BERKEMBANG.
    content = IDM + "62.13.06.2003,2024,0.7429,0.55,0.9333,0.7421,BERKEMBANG\n"
    content = content.replace("0.7429,0.55,0.9333,0.7421", "0.8,0.6,0.823,0.741")
    v = check(tmp_path, reference, "idm", content)
    assert v.accepted
    assert v.rows["status_idm"].to_list() == ["berkembang"]
    ((kolom, alasan),) = v.warnings.select("kolom", "alasan").rows()
    assert kolom == "status_idm"
    assert "maju" in alasan


# --- file-level rejections --------------------------------------------------------------------


def test_missing_required_column_is_named(tmp_path, reference):
    v = check(tmp_path, reference, "dana_desa", "kode_desa,tahun,pagu\n62.01.01.2001,2024,1\n")
    assert not v.accepted
    assert v.file_errors == ["kolom wajib tidak ada: salur, realisasi"]


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("NIK", "6201010101900001"),
        ("nama_kepala_keluarga", "Budi"),
        ("catatan", "6201 0101 0190 0001"),
    ],
)
def test_personal_data_rejects_whole_file_without_echoing_values(
    tmp_path, reference, header, value
):
    content = f"{KEM.strip()},{header}\n62.01.01.2001,2024,100,10,1,0,{value}\n"
    v = check(tmp_path, reference, "kemiskinan_desa", content)
    assert not v.accepted
    assert v.personal_data
    assert "data pribadi" in v.file_errors[0]
    assert header in v.file_errors[0]
    assert value not in " ".join(v.file_errors)
    assert v.issues.height == 0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("kosong.csv", b"", "kosong"),
        ("judul_saja.csv", KEM.encode(), "tanpa baris data"),
        ("biner.csv", bytes(range(256)) * 4, "biner"),
        ("laporan.pdf", b"%PDF-1.4 ...", "tidak diterima"),
        ("rusak.xlsx", b"PK\x03\x04 bukan zip", "rusak"),
        ("kutip.csv", b'kode_desa,tahun\n"62.01.01.2001,2024\n', "tidak dapat dibaca"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(tmp_path, reference, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        read_table(path, 50 * MB, 50 * MB)


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "kolom_lebih.csv",
            b"kode_desa,tahun\n62.01.01.2001,2024\n62.01.01.2002,2024,RahasiaXyz\n",
            "judul berisi 2 kolom, tetapi baris 3 berisi 3 kolom",
        ),
        ("kutip.csv", b'kode_desa,tahun\n62.01.01.2001,2024\n"RahasiaXyz,2024\n', "baris 3"),
        ("rusak.xlsx", b"PK\x03\x04RahasiaXyz", "rusak"),
        ("zip_lain.xlsx", _zip_of({"catatan.txt": b"RahasiaXyz"}), "simpan ulang"),
    ],
)
def test_unreadable_file_reasons_are_indonesian_and_quote_no_cell(
    tmp_path, name, content, expected
):
    """The reader's own (English) message may quote cells: it never reaches the report."""
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        read_table(path, 50 * MB, 50 * MB)
    message = str(caught.value)
    assert expected in message
    assert "RahasiaXyz" not in message
    english = ("error", "expected", "found", "field", "quote char", "invalid", "zip")
    assert not any(word in message.lower() for word in english), message


def test_file_over_the_size_limit_is_rejected_before_reading(tmp_path):
    path = tmp_path / "besar.csv"
    path.write_bytes(b"kode_desa,tahun\n" + b"62.01.01.2001,2024\n" * 1000)
    with pytest.raises(UnreadableFile, match="terlalu besar"):
        read_table(path, max_file_bytes=1000, max_xlsx_uncompressed=50 * MB)


def test_kemiskinan_kab_needs_exactly_one_area_column(tmp_path, reference):
    v = check(
        tmp_path,
        reference,
        "kemiskinan_kab",
        "kode_wilayah,kode_bps,tahun,persentase_miskin\n62.06,6209,2018,5\n",
    )
    assert not v.accepted
    assert "tepat satu kolom" in v.file_errors[0]


# --- accepted formats and variants ---------------------------------------------------------


def test_semicolon_windows_1252_with_rupiah_numbers(tmp_path, reference):
    content = (
        "Kode Desa;Nama Desa;Tahun;Pagu;Salur;Realisasi;BLT KPM;Belanja-Pemberdayaan\n"
        "62.01.01.2001;Sungai Cabang – Kumai;2024;Rp 1.234.567.890,50;Rp. 1.000.000.000;"
        "987.654.321;12;Rp 5.000.000,25\n"
    )
    v = check(tmp_path, reference, "dana_desa", content, encoding="cp1252")
    assert v.accepted, errors(v)
    row = v.rows.row(0, named=True)
    assert str(row["pagu"]) == "1234567890.50"
    assert str(row["salur"]) == "1000000000.00"
    assert str(row["realisasi"]) == "987654321.00"
    assert str(row["belanja_pemberdayaan"]) == "5000000.25"
    assert row["nama_desa"] == "Sungai Cabang – Kumai"
    assert row["kode_kab"] == "62.01"


def test_utf8_with_bom_and_comma(tmp_path, reference):
    content = "\ufeff" + KEM + "6201012001,2024,1.234,300,45,10\n"
    v = check(tmp_path, reference, "kemiskinan_desa", content)
    assert v.accepted
    assert v.rows.select("kode_desa", "jumlah_penduduk").rows() == [("62.01.01.2001", 1234)]


def _xlsx(path: Path, header: list[str], rows: list[list]) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        sheet.write_row(i, 0, row)
    workbook.close()


def test_xlsx_with_numeric_codes_keeps_codes_exact(tmp_path, reference):
    path = tmp_path / "dana.xlsx"
    _xlsx(
        path,
        ["Kode Desa", "Tahun", "Pagu", "Salur", "Realisasi", "BLT KPM"],
        [[6201012001, 2024, 1234567.5, 1000000, 999999.99, 5.0]],
    )
    v = validate(read_table(path, 50 * MB, 50 * MB), DATASETS["dana_desa"], reference)
    assert v.accepted, errors(v)
    row = v.rows.row(0, named=True)
    assert row["kode_desa"] == "62.01.01.2001"
    assert str(row["pagu"]) == "1234567.50"
    assert row["blt_kpm"] == 5


def test_xlsx_numeric_kode_wilayah_62_10_is_not_62_1(tmp_path, reference):
    path = tmp_path / "bps.xlsx"
    _xlsx(
        path,
        ["kode_wilayah", "tahun", "persentase_miskin"],
        [[62.10, 2018, 5.5], ["62.10", 2017, 5.6], [62, 2018, 4.9]],
    )
    v = validate(read_table(path, 50 * MB, 50 * MB), DATASETS["kemiskinan_kab"], reference)
    assert v.accepted, errors(v)
    assert v.rows["kode_wilayah"].to_list() == ["62.10", "62.10", "62"]


def test_bps_codes_go_through_the_crosswalk(tmp_path, reference):
    content = "kode_bps,tahun,persentase_miskin\n6209,2018,4.92\n6200,2018,5.1\n6206,2018,3.8\n"
    v = check(tmp_path, reference, "kemiskinan_kab", content)
    assert v.accepted, errors(v)
    # BPS 6209 is Katingan = Kemendagri 62.06; BPS 6206 is Sukamara = 62.08.
    assert v.rows["kode_wilayah"].to_list() == ["62.06", "62", "62.08"]


def test_unknown_bps_code_is_a_row_error(tmp_path, reference):
    v = check(
        tmp_path, reference, "kemiskinan_kab", "kode_bps,tahun,persentase_miskin\n6299,2018,4\n"
    )
    assert only_error(v)[1:] == (
        "kode_bps",
        "kode BPS tidak ada dalam tabel padanan BPS-Kemendagri",
    )


def test_area_names_with_prefixes_and_spellings(tmp_path, reference):
    content = (
        "nama_wilayah,tahun,persentase_miskin\nKab. Katingan,2022,5.1\n"
        "Kota Palangka Raya,2022,3.7\nKalimantan Tengah,2022,5.2\n"
    )
    v = check(tmp_path, reference, "kemiskinan_kab", content)
    assert v.accepted, errors(v)
    assert v.rows["kode_wilayah"].to_list() == ["62.06", "62.71", "62"]


def test_names_only_file_with_misspellings(tmp_path, reference):
    content = (
        "nama_kabupaten,nama_kecamatan,nama_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,"
        "kk_miskin_ekstrem\n"
        "Kab. Kotawaringin Barat,Kumai,Desa Sungai Cabang,2024,100,10,1,0\n"
        "kotawaringin barat,KUMAI,Teluk Pulay,2024,100,10,1,0\n"
        "Barito Utara,Montallat,Kelurahan Montallat II,2024,100,10,1,0\n"
    )
    v = check(tmp_path, reference, "kemiskinan_desa", content)
    assert v.accepted, errors(v)
    assert v.rows["kode_desa"].to_list() == ["62.01.01.2001", "62.01.01.2002", "62.05.01.1002"]
    assert any("Teluk Pulai" in m and "skor" in m for m in v.matches)


def test_numeral_suffix_must_match_exactly(tmp_path, reference):
    content = (
        "nama_kabupaten,nama_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        "Barito Utara,Benangin 2,2024,100,10,1,0\n"
        "Barito Utara,Benangin IV,2024,100,10,1,0\n"
    )
    v = check(tmp_path, reference, "kemiskinan_desa", content)
    # Benangin 2 = Benangin II; there is no Benangin IV, and it must not become I, II, III or V.
    assert errors(v)[0][0] == 3
    assert "tidak ditemukan" in errors(v)[0][2]
    assert len(errors(v)) == 1


def test_unknown_village_name_is_a_row_error(tmp_path, reference):
    content = (
        "nama_kabupaten,nama_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        "Katingan,Desa Yang Tidak Ada,2024,100,10,1,0\n"
    )
    line, col, reason = only_error(check(tmp_path, reference, "kemiskinan_desa", content))
    assert (line, col) == (2, "nama_desa")
    assert "tidak ditemukan" in reason


@pytest.mark.parametrize(
    ("yes", "no"),
    [
        ("ya", "tidak"),
        ("Y", "T"),
        ("1", "0"),
        ("TRUE", "false"),
        ("Ada", "Tidak Ada"),
        ("aktif", "tidak aktif"),
    ],
)
def test_yes_no_styles(tmp_path, reference, yes, no):
    content = BUMDES + (
        f"62.01.01.2001,2024,BUMDes A,{yes},{no},Berkembang,0\n"
        f"62.01.01.2002,2024,BUMDes B,{no},{yes},,\n"
    )
    v = check(tmp_path, reference, "bumdes", content)
    assert v.accepted, errors(v)
    assert v.rows.select("status_aktif", "badan_hukum").rows() == [(True, False), (False, True)]
    assert v.rows["klasifikasi"].to_list() == ["berkembang", None]


def test_unknown_extra_columns_are_a_warning(tmp_path, reference):
    v = check(
        tmp_path,
        reference,
        "kemiskinan_desa",
        KEM.strip() + ",Catatan Petugas\n62.01.01.2001,2024,100,10,1,0,cek ulang\n",
    )
    assert v.accepted
    assert v.file_warnings == ["kolom yang tidak dikenal diabaikan: Catatan Petugas"]


def test_xlsx_numeric_cells_skip_the_indonesian_number_rules(tmp_path, reference):
    # A numeric cell 1234.567 is one thousand two hundred...; as text "1.234" would be 1234.
    path = tmp_path / "lahan.xlsx"
    header = PROFIL.strip().split(",")
    row = PROFIL_ROW.strip().split(",")
    values = [6201012001, 2024, 12, 6, 10, "ya", 4, 120, 40, 5000000, "madu", "rintisan",
              1234.567, 1.234]  # fmt: skip
    assert len(values) == len(row)
    _xlsx(path, header, [values])
    v = validate(read_table(path, 50 * MB, 50 * MB), DATASETS["profil_desa"], reference)
    assert v.accepted, errors(v)
    assert v.rows["lahan_potensial_ha"].to_list() == [1234.567]
    assert v.rows["lahan_dimanfaatkan_ha"].to_list() == [1.234]


def test_xlsx_numeric_rupiah_cell_is_a_number_not_thousands(tmp_path, reference):
    # The number 1.234 typed into Excel is one rupiah and 23.4 sen, not 1234: it is rejected
    # for its third decimal instead of being read as text with a thousands dot.
    path = tmp_path / "dana.xlsx"
    _xlsx(
        path,
        ["kode_desa", "tahun", "pagu", "salur", "realisasi"],
        [[6201012001, 2024, 1.234, 1, 1]],
    )
    v = validate(read_table(path, 50 * MB, 50 * MB), DATASETS["dana_desa"], reference)
    line, col, reason = only_error(v)
    assert (line, col) == (2, "pagu")
    assert "dua angka desimal" in reason


NUMBER_TEXT = st.one_of(
    st.from_regex(r"-?[0-9]{1,10}", fullmatch=True),
    st.from_regex(r"-?[0-9]{1,7}\.[0-9]{1,4}", fullmatch=True),
    st.from_regex(r"(Rp ?)?[0-9]{1,3}(\.[0-9]{3}){0,3}(,[0-9]{1,3})?", fullmatch=True),
)


CANONICAL_CASES = [
    (Kind.INTEGER, NUMBER_TEXT, pl.Int64),
    (Kind.RUPIAH, NUMBER_TEXT, pl.Decimal(18, 2)),
    (Kind.DECIMAL, NUMBER_TEXT, pl.Float64),
    (
        Kind.KODE_DESA,
        st.from_regex(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}", fullmatch=True),
        pl.String,
    ),
    (Kind.DIGITS, st.from_regex(r"[0-9]{13}", fullmatch=True), pl.String),
]


@given(data=st.data(), case=st.sampled_from(CANONICAL_CASES))
def test_canonical_text_is_cast_to_what_the_full_rules_give(data, case):
    # A column whose every cell matches canonical_pattern is only cast (cells.py); the full
    # rules must read each such cell as that very value, with no error.
    kind, text, dtype = case
    column = Column("x", kind, "uji", digits=13 if kind is Kind.DIGITS else None)
    pattern = parsing.canonical_pattern(column)
    values = data.draw(
        st.lists(text.filter(lambda v: re.match(pattern, v)), min_size=1, max_size=20)
    )
    frame = (
        parsing.stage_numbers(pl.DataFrame({"x": values}), [("x", kind, False)])
        if kind in parsing.NUMERIC_KINDS
        else pl.DataFrame({"x": values})
    )
    value, error = parsing.parse_column(pl.col("x"), column, native=False)
    full = frame.select(value.cast(dtype).alias("v"), error.alias("e"))
    assert full["e"].null_count() == len(values)
    assert (
        full["v"].to_list()
        == pl.DataFrame({"x": values}).select(pl.col("x").cast(dtype))["x"].to_list()
    )


def test_too_many_digits_are_left_to_the_full_rules():
    column = Column("x", Kind.INTEGER, "uji")
    assert not re.match(parsing.canonical_pattern(column), "1" * 19)
    frame = parsing.stage_numbers(pl.DataFrame({"x": ["1" * 25]}), [("x", Kind.INTEGER, False)])
    _, error = parsing.parse_column(pl.col("x"), column, native=False)
    assert frame.select(error).item() == "angka terlalu besar"


CODE_TEXT = st.one_of(
    st.none(),
    st.sampled_from(["62.01.01.2001", "6201012001", " 62.01.01.2001 ", "", "62.1.1.2001", "x"]),
    st.from_regex(r"[0-9 .]{0,14}", fullmatch=True),
)


@given(values=st.lists(CODE_TEXT, min_size=1, max_size=60), repeat=st.sampled_from([1, 40]))
def test_per_distinct_value_matches_row_by_row(values, repeat):
    # Repeated 40 times the column has few distinct values (evaluated once each, joined back);
    # once, it may have mostly distinct ones (evaluated row by row). Same rows either way.
    frame = pl.DataFrame({"x": values * repeat}, schema={"x": pl.String})
    value, error = parsing.parse_kode_desa(parsing.blank_to_null(pl.col("x")))
    outputs = [value.alias("v"), error.alias("e")]
    assert parsing.per_distinct_value(frame, "x", outputs).rows() == frame.select(outputs).rows()


NUMBER_TEXT = st.one_of(
    st.none(), st.sampled_from(["1.234", "Rp 5.000,50", "", "abc", "-7", "1,5"])
)


@given(
    rows=st.lists(st.tuples(CODE_TEXT, NUMBER_TEXT), min_size=1, max_size=40),
    repeat=st.sampled_from([1, 30]),
)
def test_several_columns_per_distinct_combination_match_row_by_row(rows, repeat):
    # Two columns evaluated together, once per combination of their values (numbers staged
    # first), give the rows that evaluating every row gives.
    frame = pl.DataFrame(rows * repeat, schema={"x": pl.String, "y": pl.String}, orient="row")
    code, code_error = parsing.parse_kode_desa(parsing.blank_to_null(pl.col("x")))
    number, number_error = parsing.parse_number("y", Kind.RUPIAH)
    outputs = [code.alias("c"), code_error.alias("ce"), number.alias("n"), number_error.alias("ne")]
    prepare = partial(parsing.stage_numbers, columns=[("y", Kind.RUPIAH, False)])
    got = parsing.per_distinct_value(frame, ["x", "y"], outputs, prepare)
    assert got.rows() == prepare(frame).select(outputs).rows()


def test_number_columns_are_staged_per_distinct_value():
    frame = pl.DataFrame({"x": ["1.234", "Rp 5.000,50", None, "1.234", "abc"] * 50})
    value, error = parsing.parse_number("x", Kind.RUPIAH)
    prepare = partial(parsing.stage_numbers, columns=[("x", Kind.RUPIAH, False)])
    got = parsing.per_distinct_value(frame, "x", [value.alias("v"), error.alias("e")], prepare)
    assert got.height == 250
    assert [str(v) if v is not None else None for v in got["v"][:5]] == [
        "1234.00",
        "5000.50",
        None,
        "1234.00",
        None,
    ]
    assert got["e"][4].startswith("bukan angka yang sah")


def test_blank_lines_are_dropped_wherever_they_are(tmp_path, reference):
    content = (
        KEM
        + "62.01.01.2001,2024,100,30,5,1\n"
        + ",,,,,\n"  # empty cells
        + "  , ,\t,,, \n"  # spaces only
        + ",2024,100,30,5,1\n"  # first cell blank, the rest filled: a row, with an error
        + "62.01.01.2002,2024,100,30,5,1\n"
    )
    v = check(tmp_path, reference, "kemiskinan_desa", content)
    assert errors(v) == [(5, "kode_desa", "wajib diisi")]


def test_a_file_in_no_known_encoding_is_rejected_plainly(tmp_path, reference):
    # 0x81 is not a character in UTF-8 (alone) nor in Windows-1252.
    path = tmp_path / "aneh.csv"
    path.write_bytes(KEM.encode() + b"62.01.01.2001,2024,100,30,5,1\n\x81\n")
    with pytest.raises(UnreadableFile, match="pengodean huruf tidak dikenali"):
        read_table(path, 50 * MB, 50 * MB)


def test_a_windows_1252_file_with_a_broken_line_names_the_line(tmp_path, reference):
    path = tmp_path / "rusak.csv"
    path.write_bytes(
        (KEM + "62.01.01.2001,2024,100,30,5,1\n62.01.01.2002,Café,1,2,3,4,5,6\n").encode("cp1252")
    )
    with pytest.raises(UnreadableFile, match="baris 3 berisi 8 kolom"):
        read_table(path, 50 * MB, 50 * MB)


@pytest.fixture(scope="module")
def two_provinces(reference) -> Reference:
    """Kalteng and a copy of it as province 63: codes the per-province lookup must tell apart."""
    copy = reference.wilayah.with_columns(
        pl.col(c).str.replace(r"^62", "63") for c in ("kode", "kode_kab", "kode_kec")
    )
    wilayah = pl.concat([reference.wilayah, copy])
    return Reference("00", wilayah, reference.bps_to_kemendagri, reference.thresholds)


VILLAGE_CODES = st.one_of(
    st.none(),
    st.sampled_from(["62.01.01.2001", "63.01.01.2001", "62.06.01.2001", "63.71.01.1001"]),
    st.sampled_from(["64.01.01.2001", "62.99.99.9999", "6", "", "x", "63.01.01.2001 "]),
)


@given(codes=st.lists(VILLAGE_CODES, min_size=0, max_size=30))
def test_the_per_province_lookup_finds_what_the_whole_list_finds(two_provinces, codes):
    # A file's villages are joined with the villages of the provinces it names, not all 84,000.
    frame = pl.DataFrame({"kode_desa": codes}, schema={"kode_desa": pl.String})
    whole = frame.join(two_provinces.desa, on="kode_desa", how="left", maintain_order="left")
    part = two_provinces.desa_of_provinces(frame["kode_desa"])
    assert set(part["kode_desa"].str.slice(0, 2)) <= set(frame["kode_desa"].str.slice(0, 2))
    got = frame.join(part, on="kode_desa", how="left", maintain_order="left")
    assert got.rows() == whole.rows()
    known = set(two_provinces.desa["kode_desa"])
    assert got["jenis"].null_count() == sum(c not in known for c in codes)
