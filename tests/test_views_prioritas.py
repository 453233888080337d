"""views.prioritas (the Desa Prioritas page's shaping) on small frames worked out by hand
(no Streamlit, no snapshot)."""

import pandas as pd

from dashboards.views import prioritas as view

NAN = float("nan")

SCORED = pd.DataFrame(
    {
        "kode_desa": ["2", "1", "3"],
        "nama_desa": ["B", "A", "C*"],
        "nama_kabupaten": ["Kabupaten X"] * 3,
        "peringkat_kab": [1, 2, 2],
        "skor": [41.25, 30.0, 30.0],
        "alasan": ["miskin", "serapan", "bumdes"],
        "skema_status": ["indeks_desa", "indeks_desa", "idm"],
    }
)


def test_scheme_caption_adds_how_indeks_desa_is_read() -> None:
    assert view.scheme_caption(SCORED, 2025) == (
        ":material/info: Status desa dalam skor: Indeks Desa 2025 untuk 2 desa, IDM 2025 untuk "
        "1 desa (belum memiliki Indeks Desa). Skor Indeks Desa dibaca pada skala 0–100; ambang "
        "status Indeks Desa belum diverifikasi terhadap Kepmendesa."
    )


def test_scheme_caption_idm_only_and_none() -> None:
    idm = SCORED.assign(skema_status="idm")
    assert view.scheme_caption(idm, 2024) == (
        ":material/info: Status desa dalam skor: IDM 2024 untuk 3 desa."
    )
    assert view.scheme_caption(SCORED.assign(skema_status=None), 2024) is None


def test_top_score_text() -> None:
    assert view.top_score_text(SCORED) == "41,3"  # 41,25 rounded half up
    assert view.top_score_text(SCORED.iloc[0:0]) == "–"


def test_ranking_download_in_rank_then_code_order() -> None:
    download = view.ranking_download(SCORED)
    assert list(download["kode_desa"]) == ["2", "1", "3"]
    assert list(download.index) == [0, 1, 2]
    assert list(download.columns) == list(SCORED.columns)


def test_village_score_text_is_escaped() -> None:
    row = SCORED.iloc[2]
    text = view.village_score_text(row, lambda t: str(t).replace("*", r"\*"))
    assert text == (r"**C\***: skor **30,0**, peringkat 2 di Kabupaten X.  " + "\nAlasan: bumdes")


def test_factor_formats() -> None:
    assert view.FACTOR_FORMATS["Skor faktor (0–1)"](0.125) == "0,13"
    assert view.FACTOR_FORMATS["Bobot"](33.4) == "33%"
    assert view.FACTOR_FORMATS["Sumbangan ke skor"](12.25) == "12,3"


def test_narrow_kabupaten_table() -> None:
    summary = pd.DataFrame(
        {
            "nama": ["Kabupaten Katingan", "Kota Palangka Raya"],
            "desa_dinilai": [10, NAN],
            "skor_rata": [40.0, NAN],
            "skor_maks": [60.0, NAN],
            "desa_skor_maks": ["D", None],
            "desa_data_kurang": [2, NAN],
        }
    )
    narrow = view.narrow_kabupaten_table(view.kabupaten_table(summary))
    assert list(narrow.columns) == [
        "Kabupaten/kota",
        "Desa dinilai",
        "Rata-rata skor",
        "Belum lengkap",
    ]
    assert list(narrow["Kabupaten/kota"]) == ["Katingan", "Kota Palangka Raya"]
    assert list(narrow["Belum lengkap"]) == [2, 0]


def test_missing_list_text_most_first() -> None:
    # the empty cell counts for nothing (not as a dataset named "nan")
    incomplete = pd.DataFrame({"data_kurang": ["umkm, blt_kpm", "blt_kpm", None]})
    text = view.missing_list_text(incomplete, lambda n: f"<{n}>", str)
    assert text == "**Data yang belum ada:**\n- <blt_kpm>: **2** desa\n- <umkm>: **1** desa"


def test_no_rows_text() -> None:
    kelurahan_only = pd.DataFrame({"jenis": ["kelurahan", "kelurahan"]})
    with_desa = pd.DataFrame({"jenis": ["kelurahan", "desa"]})
    assert view.no_rows_text(kelurahan_only, nama_wilayah="Kota P", tahun=2025) == (
        "Kota P hanya memiliki kelurahan: kelurahan tidak dinilai dalam daftar desa prioritas."
    )
    assert view.no_rows_text(with_desa, nama_wilayah="Kab K", tahun=2025) == (
        "Belum ada data desa prioritas untuk Kab K tahun 2025."
    )
    assert view.no_rows_text(None, nama_wilayah="Kalimantan Tengah", tahun=2024) == (
        "Belum ada data desa prioritas untuk Kalimantan Tengah tahun 2024."
    )
