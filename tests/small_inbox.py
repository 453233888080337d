"""A small inbox with one file per declared dataset, for real pipeline runs in tests.

One desa (Sungai Cabang, 62.01.01.2001) and one kelurahan (62.01.01.1011) of Kotawaringin
Barat, year 2024, plus BPS figures for the kabupaten: enough for every published table to have
rows of every column's real type.
"""

from pathlib import Path

from tests.conftest import drop

DESA = "62.01.01.2001"
KELURAHAN = "62.01.01.1011"

FILES = {
    "kemiskinan_desa": (
        "kode_desa,tahun,jumlah_penduduk,jumlah_kk,kk_miskin,kk_miskin_ekstrem\n"
        f"{DESA},2024,1000,300,45,10\n"
        f"{KELURAHAN},2024,2000,500,25,5\n"
    ),
    "dana_desa": (
        f"kode_desa,tahun,pagu,salur,realisasi,blt_kpm\n{DESA},2024,1000000,900000,800000,4\n"
    ),
    "bumdes": (
        "kode_desa,tahun,nama_bumdes,status_aktif,badan_hukum,klasifikasi,kontribusi_pades\n"
        f"{DESA},2024,Maju Jaya,ya,ya,tumbuh,2500000\n"
    ),
    "umkm": (
        "kode_desa,tahun,nama_usaha,sektor,skala,tenaga_kerja,omzet_tahunan,nib\n"
        f"{DESA},2024,Warung Ani,kuliner,mikro,2,12500000,\n"
    ),
    "idm": f"kode_desa,tahun,iks,ike,ikl\n{DESA},2024,0.7,0.6,0.65\n",
    "profil_desa": (
        "kode_desa,tahun,aparatur_total,aparatur_terlatih,aparatur_pendidikan_sma,"
        "apbdes_tepat_waktu,musdes_jumlah,musdes_peserta,musdes_peserta_perempuan,swadaya_rp,"
        "produk_unggulan,desa_wisata,lahan_potensial_ha,lahan_dimanfaatkan_ha\n"
        f"{DESA},2024,12,6,10,ya,4,120,40,5000000,madu,rintisan,100,40\n"
    ),
    "kemiskinan_kab": "kode_wilayah,tahun,persentase_miskin\n62.01,2024,4.5\n",
    "program_kegiatan": (
        "kode_wilayah,tahun,kode_kegiatan,nama_kegiatan,isu,indikator_keluaran,satuan_keluaran,"
        "target_keluaran,realisasi_keluaran,pagu,realisasi_anggaran,desa_sasaran\n"
        "62.01,2024,2.13.05.2.01.0001,Peningkatan Kapasitas Aparatur,1,aparatur terlatih,orang,"
        "40,44,150000000,120000000,10\n"
    ),
}


def write_small_inbox(data_dir: Path) -> None:
    for dataset, content in FILES.items():
        drop(data_dir, dataset, f"{dataset}_2024.csv", content)
