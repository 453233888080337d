"""Synthetic programme activities (program_kegiatan) for the province's Dinas PMD (62) and the
14 kabupaten/kota, 2021-2025, on the real budget nomenclature of urusan 2.13 (pemberdayaan
masyarakat dan desa, Permendagri 90/2019 as updated by Kepmendagri 050-5889/2021).

Only the codes and names are real, and only those that could be checked against public
sources (data/reference/SOURCES.md, "Nomenklatur urusan 2.13"): the province's three kegiatan
(`2.13.0x.1.01`) and eleven sub-kegiatan of the kabupaten's two kegiatan (`2.13.04.2.01.xx`,
`2.13.05.2.01.xx`), written as those sources write them. Which area ran which activity, its
targets, pagu and realisation are synthetic, and marked so (`sintetis` = ya).

Each area's absorption and output lean on its villages' development factor (the same `dev` the
village model uses), so a weaker kabupaten tends to spend and reach less: the page that shows
the programme beside the outcomes has something to show, without any claim that one drives the
other.
"""

import numpy as np
import polars as pl

# (kode, nama, isu, indikator keluaran, satuan, target range): the isu is the strategic issue
# the sample assigns the activity to (the Dinas decides this for real activities).
KABUPATEN_KEGIATAN = (
    ("2.13.04.2.01.02", "Fasilitasi Penyusunan Produk Hukum Desa", "1",
     "Jumlah Dokumen Hasil Fasilitasi Penyusunan Produk Hukum Desa", "dokumen", (4, 30)),
    ("2.13.04.2.01.04", "Fasilitasi Pengelolaan Keuangan Desa", "1",
     "Jumlah Dokumen Hasil Fasilitasi Pengelolaan Keuangan Desa", "dokumen", (4, 30)),
    ("2.13.04.2.01.05", "Pembinaan Peningkatan Kapasitas Aparatur Pemerintahan Desa", "1",
     "Jumlah Aparatur Pemerintah Desa yang Mengikuti Pembinaan Peningkatan Kapasitas", "orang",
     (40, 300)),
    ("2.13.04.2.01.11", "Fasilitasi Penyusunan Profil Desa", "4",
     "Jumlah Dokumen Profil Desa yang tersusun", "dokumen", (10, 80)),
    ("2.13.04.2.01.18", "Fasilitasi Evaluasi Perkembangan Desa serta Lomba Desa dan Kelurahan",
     "tujuan", "Jumlah Dokumen Hasil Evaluasi Perkembangan Desa serta Lomba Desa dan Kelurahan",
     "dokumen", (1, 4)),
    ("2.13.05.2.01.02",
     "Fasilitasi Penataan, Pemberdayaan dan Pendayagunaan Kelembagaan Lembaga Kemasyarakatan "
     "Desa/Kelurahan (RT, RW, PKK, Posyandu, LPM dan Karang Taruna), Lembaga Adat "
     "Desa/Kelurahan dan Masyarakat Hukum Adat", "3",
     "Jumlah Dokumen Hasil Penataan, Pemberdayaan dan Pendayagunaan Kelembagaan Lembaga "
     "Kemasyarakatan Desa/Kelurahan", "dokumen", (2, 12)),
    ("2.13.05.2.01.03",
     "Peningkatan Kapasitas Kelembagaan Lembaga Kemasyarakatan Desa/Kelurahan (RT, RW, PKK, "
     "Posyandu, LPM dan Karang Taruna), Lembaga Adat Desa/Kelurahan dan Masyarakat Hukum Adat",
     "2", "Jumlah Lembaga Kemasyarakatan Desa/Kelurahan yang Ditingkatkan Kapasitasnya",
     "lembaga", (10, 80)),
    ("2.13.05.2.01.05",
     "Fasilitasi Pengembangan Usaha Ekonomi Masyarakat dan Pemerintah Desa dalam Meningkatkan "
     "Pendapatan Asli Desa", "3",
     "Jumlah Dokumen Hasil Fasilitasi Pengembangan Usaha Ekonomi Masyarakat dan Pemerintah Desa "
     "dalam Meningkatkan Pendapatan Asli Desa", "dokumen", (2, 20)),
    ("2.13.05.2.01.06", "Fasilitasi Pemerintah Desa dalam Pemanfaatan Teknologi Tepat Guna", "4",
     "Jumlah Laporan Hasil Fasilitasi Pemerintah Desa dalam Pemanfaatan Teknologi Tepat Guna",
     "laporan", (1, 6)),
    ("2.13.05.2.01.07", "Fasilitasi Bulan Bhakti Gotong Royong Masyarakat", "2",
     "Jumlah Laporan Hasil Fasilitasi Bulan Bhakti Gotong Royong Masyarakat", "laporan", (1, 3)),
    ("2.13.05.2.01.09",
     "Fasilitasi Tim Penggerak PKK dalam Penyelenggaraan Gerakan Pemberdayaan Masyarakat dan "
     "Kesejahteraan Keluarga", "tujuan",
     "Jumlah Dokumen Hasil Fasilitasi Tim Penggerak PKK dalam Penyelenggaraan Gerakan "
     "Pemberdayaan Masyarakat dan Kesejahteraan Keluarga", "dokumen", (1, 6)),
)  # fmt: skip
PROVINSI_KEGIATAN = (
    ("2.13.03.1.01", "Fasilitasi Kerja Sama antar Desa yang Menjadi Kewenangan Provinsi", "4",
     "Jumlah kerja sama antar desa yang difasilitasi", "kerja sama", (4, 20)),
    ("2.13.04.1.01", "Pembinaan dan Pengawasan Penyelenggaraan Pemerintahan Desa", "1",
     "Jumlah kabupaten/kota yang dibina dan diawasi", "kabupaten/kota", (14, 14)),
    ("2.13.05.1.01",
     "Pemberdayaan Lembaga Kemasyarakatan yang Bergerak di Bidang Pemberdayaan Desa dan Lembaga "
     "Adat Tingkat Daerah Provinsi serta Pemberdayaan Masyarakat Hukum Adat yang Masyarakat "
     "Pelakunya Hukum Adat yang Sama Berada di Lintas Daerah Kabupaten/Kota", "3",
     "Jumlah lembaga kemasyarakatan dan lembaga adat yang diberdayakan", "lembaga", (20, 120)),
)  # fmt: skip
SEN = 100


def activities(
    kabupaten: pl.DataFrame, years: tuple[int, ...], rng: np.random.Generator, provinsi: str
) -> pl.DataFrame:
    """One row per (area, year, activity). `kabupaten`: kode_kab, dev (the mean development
    factor of its villages), desa (its number of desa and kelurahan). Money in sen (int)."""
    rows = []
    areas = [(provinsi, 0.3, 0, PROVINSI_KEGIATAN, (800, 3000))]
    areas += [
        (r["kode_kab"], r["dev"], r["desa"], KABUPATEN_KEGIATAN, (60, 600))
        for r in kabupaten.sort("kode_kab").iter_rows(named=True)
    ]
    for kode, dev, desa, catalogue, pagu_juta in areas:
        for tahun in years:
            # a kabupaten runs 5 to all 11 of its sub-kegiatan in a year; the province all three
            count = len(catalogue) if kode == provinsi else int(rng.integers(5, len(catalogue) + 1))
            chosen = sorted(rng.choice(len(catalogue), size=count, replace=False))
            for i in chosen:
                code, name, isu, indikator, satuan, (low, high) = catalogue[i]
                pagu = int(rng.integers(pagu_juta[0], pagu_juta[1] + 1)) * 1_000_000
                # absorption 45-100 %, better where villages are more developed, later years
                share = np.clip(
                    rng.normal(0.84 + 0.06 * dev + 0.01 * (tahun - years[0]), 0.1), 0.45, 1.0
                )
                realisasi = int(pagu * share) // 1000 * 1000
                target = int(rng.integers(low, high + 1))
                reached = np.clip(rng.normal(0.92 + 0.08 * dev, 0.18), 0.2, 1.35)
                if satuan == "kabupaten/kota":  # there are only 14 to reach
                    reached = min(reached, 1.0)
                rows.append(
                    {
                        "kode_wilayah": kode,
                        "tahun": tahun,
                        "kode_kegiatan": code,
                        "nama_kegiatan": name,
                        "isu": isu,
                        "indikator_keluaran": indikator,
                        "satuan_keluaran": satuan,
                        "target_keluaran": target,
                        "realisasi_keluaran": round(float(target * reached)),
                        "pagu": pagu * SEN,
                        "realisasi_anggaran": realisasi * SEN,
                        "desa_sasaran": int(rng.integers(1, max(desa, 2)))
                        if satuan != "kabupaten/kota" and desa
                        else None,
                    }
                )
    return pl.DataFrame(rows, schema_overrides={"desa_sasaran": pl.Int64})
