"""The catalogue is declared once (pipelines/contracts) and published with the snapshot."""

import json

from pipelines.contracts.datasets import DATASETS, IDM_STATUSES, rule_text
from pipelines.contracts.kpis import ISU_NAMES
from tests.conftest import drop, published, run_pipeline

KEM = "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"


def test_rule_text_states_bounds_categories_and_kind_rules():
    dana = DATASETS["dana_desa"]
    assert rule_text(dana.column("salur")) == "0 sampai pagu"
    assert rule_text(dana.column("pagu")) == ">= 0"
    kemiskinan = DATASETS["kemiskinan_desa"]
    assert rule_text(kemiskinan.column("jumlah_kk")) == "> 0"
    assert rule_text(DATASETS["idm"].column("iks")) == "0 sampai 1"
    sektor = rule_text(DATASETS["umkm"].column("sektor"))
    assert sektor.startswith("salah satu dari: pertanian, perkebunan")
    assert sektor.endswith("(nilai lain menjadi lainnya)")
    assert rule_text(DATASETS["umkm"].column("nib")) == "tepat 13 angka"
    assert "2015" in rule_text(dana.column("tahun"))


def test_snapshot_publishes_the_catalogue_tables(data_dir):
    drop(data_dir, "kemiskinan_desa", "a.csv", KEM + "62.01.01.2001,2024,1000,300,45,10\n")
    assert run_pipeline(data_dir).success

    definitions = published(data_dir, "select * from dataset_definisi order by urutan")
    assert definitions["dataset"].to_list() == list(DATASETS)
    profil = definitions.row(definitions["dataset"].to_list().index("profil_desa"), named=True)
    assert profil["hanya_desa"] is True
    assert profil["kunci"] == ["kode_desa", "tahun"]
    columns = json.loads(profil["kolom"])
    assert [c["nama"] for c in columns] == [c.name for c in DATASETS["profil_desa"].all_columns]
    wisata = next(c for c in columns if c["nama"] == "desa_wisata")
    assert wisata["wajib"] is True
    assert wisata["pilihan"] == ["tidak", "rintisan", "berkembang", "maju", "mandiri"]

    statuses = published(data_dir, "select status from status_desa order by urutan")
    assert statuses["status"].to_list() == list(IDM_STATUSES)
    issues = published(data_dir, "select isu, nama from isu_definisi order by urutan")
    assert issues.rows() == list(ISU_NAMES.items())


def test_per_dataset_tables_cover_every_declared_dataset(data_dir):
    drop(data_dir, "kemiskinan_desa", "a.csv", KEM + "62.01.01.2001,2024,1000,300,45,10\n")
    assert run_pipeline(data_dir).success
    kelengkapan = published(
        data_dir,
        "select desa_melapor, desa_total from kelengkapan_data where dataset = ?",
        ["kemiskinan_desa"],
    )
    # 62.01 has desa and kelurahan; kemiskinan_desa expects both.
    villages = published(
        data_dir, "select count(*) as n from wilayah where tingkat = 'desa' and kode_kab = '62.01'"
    )["n"][0]
    assert kelengkapan.rows() == [(1, villages)]
    tables = set(
        published(data_dir, "select table_name from information_schema.tables")["table_name"]
    )
    assert set(DATASETS) <= tables
