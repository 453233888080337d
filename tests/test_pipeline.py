"""The thin slice end to end: inbox -> warehouse -> KPI -> published snapshot, for real."""

import duckdb
import pytest

from tests.conftest import drop, kpi_value, published, run_pipeline

# Hand-worked fixture. Kabupaten Kotawaringin Barat (62.01): two desa and one kelurahan;
# Kota Palangkaraya (62.71): one kelurahan.
KEMISKINAN_2024 = """kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem
62.01.01.2001,2024,1000,300,45,10
62.01.01.2002,2024,800,200,50,5
62.01.01.1011,2024,2000,500,25,5
62.71.01.1001,2024,5000,1000,80,8
"""
# 62.01: kk_miskin 45+50+25 = 120 of 300+200+500 = 1000 KK  -> 12.0 %
#        ekstrem   10+5+5 = 20 / 1000                         ->  2.0 %
# 62.71: 80 / 1000 -> 8.0 %;  ekstrem 8 / 1000 -> 0.8 %
# province: (120 + 80) / (1000 + 1000) -> 10.0 %; ekstrem 28 / 2000 -> 1.4 %


@pytest.fixture
def first_run(first_run_of):
    return first_run_of(("kemiskinan_desa", "kemiskinan_2024.csv", KEMISKINAN_2024))


def test_published_kk_miskin_matches_hand_computed_values(data_dir, first_run):
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 12.0
    assert kpi_value(data_dir, "kabupaten", "62.71", 2024, "kk_miskin_pct")["nilai"] == 8.0
    provinsi = kpi_value(data_dir, "provinsi", "62", 2024, "kk_miskin_pct")
    assert provinsi["nilai"] == pytest.approx(10.0)
    assert provinsi["desa_melapor"] == 4
    assert kpi_value(data_dir, "provinsi", "62", 2024, "kk_miskin_ekstrem_pct")[
        "nilai"
    ] == pytest.approx(1.4)


def test_kpi_rows_exist_for_every_kabupaten_and_kpi(data_dir, first_run):
    counts = published(
        data_dir,
        "select tingkat, count(*) as n from kpi where tahun = 2024 group by 1 order by 1",
    )
    n_kpi = published(data_dir, "select count(*) as n from kpi_definisi")["n"][0]
    # the agency's programme KPIs exist for kabupaten and the province only (no desa activity)
    n_village = published(data_dir, "select count(*) as n from kpi_definisi where not program")[
        "n"
    ][0]
    assert 0 < n_village < n_kpi
    by_level = dict(counts.rows())
    assert by_level["kabupaten"] == 14 * n_kpi
    assert by_level["provinsi"] == n_kpi
    assert by_level["kecamatan"] == 136 * n_village
    assert by_level["desa"] == 1571 * n_village


def test_kabupaten_without_data_is_null_with_reason_not_zero(data_dir, first_run):
    row = kpi_value(data_dir, "kabupaten", "62.02", 2024, "kk_miskin_pct")
    assert row["nilai"] is None
    assert row["desa_melapor"] == 0
    assert "Belum ada data" in row["keterangan"]


def test_palangka_raya_desa_kpis_are_null_with_plain_reason(data_dir, first_run):
    row = kpi_value(data_dir, "kabupaten", "62.71", 2024, "aparatur_terlatih_pct")
    assert row["nilai"] is None
    assert "tidak memiliki desa" in row["keterangan"]


def test_accepted_file_is_archived_byte_for_byte_and_logged(data_dir, first_run):
    archived = list((data_dir / "archive" / "kemiskinan_desa").iterdir())
    assert len(archived) == 1
    assert archived[0].read_bytes() == KEMISKINAN_2024.encode()
    assert not list((data_dir / "inbox" / "kemiskinan_desa").iterdir())
    log = published(data_dir, "select file_name, status, rows from ingest_log")
    assert log.rows() == [("kemiskinan_2024.csv", "accepted", 4)]


def test_rejected_file_keeps_previous_snapshot(data_dir, first_run):
    before = published(data_dir, "select diterbitkan_pada from snapshot_info")["diterbitkan_pada"][
        0
    ]
    bad = KEMISKINAN_2024.replace(
        "62.71.01.1001,2024,5000,1000,80,8", "62.71.01.1001,2024,5000,1000,80,90"
    )
    drop(data_dir, "kemiskinan_desa", "perbaikan.csv", bad)
    assert run_pipeline(data_dir).success
    # The bad file changed nothing; the run still republished the same numbers.
    assert kpi_value(data_dir, "kabupaten", "62.71", 2024, "kk_miskin_pct")["nilai"] == 8.0
    after = published(data_dir, "select diterbitkan_pada from snapshot_info")["diterbitkan_pada"][0]
    assert after >= before
    report = next((data_dir / "rejected" / "kemiskinan_desa").glob("*.laporan.txt")).read_text()
    assert "Baris 5" in report
    assert "kk_miskin_ekstrem" in report


def test_corrected_file_replaces_only_its_slices(data_dir, first_run):
    corrected = (
        "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        "62.71.01.1001,2024,5000,1000,200,20\n"
    )
    drop(data_dir, "kemiskinan_desa", "palangka_2024_perbaikan.csv", corrected)
    assert run_pipeline(data_dir).success
    assert kpi_value(data_dir, "kabupaten", "62.71", 2024, "kk_miskin_pct")["nilai"] == 20.0
    # 62.01's slice is untouched.
    assert kpi_value(data_dir, "kabupaten", "62.01", 2024, "kk_miskin_pct")["nilai"] == 12.0
    rows = published(data_dir, "select count(*) as n from kemiskinan_desa")["n"][0]
    assert rows == 4


def test_same_bytes_twice_is_a_duplicate_not_loaded_again(data_dir, first_run):
    drop(data_dir, "kemiskinan_desa", "kemiskinan_2024_lagi.csv", KEMISKINAN_2024)
    assert run_pipeline(data_dir).success
    log = published(data_dir, "select status from ingest_log order by received_at")
    assert log["status"].to_list() == ["accepted", "duplicate"]
    assert published(data_dir, "select count(*) as n from kemiskinan_desa")["n"][0] == 4
    assert len(list((data_dir / "archive" / "kemiskinan_desa").iterdir())) == 2


def test_published_snapshot_is_not_the_warehouse(data_dir, first_run):
    # The warehouse stays writable while a reader has the snapshot open.
    reader = duckdb.connect(str(data_dir / "published" / "dasbor.duckdb"), read_only=True)
    try:
        assert run_pipeline(data_dir).success
    finally:
        reader.close()


def test_two_runs_publish_a_bit_identical_kpi_table_despite_a_rejected_file(data_dir):
    import random

    import polars as pl

    from pipelines.settings import Settings

    # 80 desa over several kabupaten, with float inputs whose sums depend on the order.
    wilayah = pl.read_csv(Settings.from_env().wilayah_csv, infer_schema=False)
    kode = wilayah.filter(pl.col("jenis") == "desa")["kode"].gather_every(17).head(80)
    rng = random.Random(5)
    profil, idm = [PROFIL_HEADER], [IDM_HEADER]
    for k in kode:
        potensial = round(rng.uniform(1, 5000), 3)
        profil.append(
            f"{k},2024,5,1,1,ya,1,10,3,1000,,tidak,{potensial},{round(potensial * rng.random(), 3)}"
        )
        idm.append(f"{k},2024," + ",".join(str(round(rng.random(), 4)) for _ in range(3)))
    drop(data_dir, "profil_desa", "profil.csv", "\n".join(profil) + "\n")
    drop(data_dir, "idm", "idm.csv", "\n".join(idm) + "\n")
    query = "select * from kpi"  # in file order: the order is part of the table

    def bits(frame: pl.DataFrame) -> pl.DataFrame:
        floats = [c for c, t in frame.schema.items() if t == pl.Float64]
        return frame.with_columns(pl.col(floats).reinterpret(dtype=pl.UInt64))

    assert run_pipeline(data_dir).success
    first = bits(published(data_dir, query))
    # The second run takes a file that is rejected: the KPIs must not move by a single bit.
    bad = "\n".join([IDM_HEADER, f"{kode[0]},2024,0.5,0.5,1.5"]) + "\n"
    drop(data_dir, "idm", "idm_salah.csv", bad)
    assert run_pipeline(data_dir).success
    assert published(data_dir, "select status from ingest_log where file_name = 'idm_salah.csv'")[
        "status"
    ].to_list() == ["rejected"]
    second = bits(published(data_dir, query))
    lahan = first.filter(
        (pl.col("kpi_id") == "pemanfaatan_lahan_pct") & (pl.col("tingkat") != "desa")
    )
    assert lahan["nilai"].drop_nulls().len() > 3
    assert first.height == second.height
    assert first.equals(second, null_equal=True)


PROFIL_HEADER = (
    "kode_desa,tahun,aparatur_total,aparatur_terlatih,aparatur_pendidikan_sma,apbdes_tepat_waktu,"
    "musdes_jumlah,musdes_peserta,musdes_peserta_perempuan,swadaya_rp,produk_unggulan,"
    "desa_wisata,lahan_potensial_ha,lahan_dimanfaatkan_ha"
)
IDM_HEADER = "kode_desa,tahun,iks,ike,ikl"
