"""The monthly briefing a subscriber reads: its area's briefing PDF attached, and the headline
changes (the briefing's own headline table: value, change on the year before) in the body."""

from collections.abc import Iterable, Mapping
from datetime import date

from laporan.formatting import is_missing, kpi_change, kpi_value
from pipelines.notifikasi.jadwal import Recipient
from pipelines.notifikasi.pengingat import date_text
from pipelines.notifikasi.pesan import Attachment, Message
from pipelines.settings import SENDER_NAME


def pdf_name(kode: str, tahun: int) -> str:
    """As the `laporan_ringkas` asset names its files."""
    return f"laporan_ringkas_{kode}_{tahun}.pdf"


def headline_lines(headline: Iterable[Mapping], tahun: int) -> list[str]:
    """One line per headline KPI with a value: `- Persentase KK miskin: 12,3% (turun 1,2 poin
    dari 2023, membaik)`."""
    lines = []
    for row in headline:
        if is_missing(row["nilai"]):
            continue
        text = f"- {row['nama']}: {kpi_value(row['nilai'], row['satuan'])}"
        if not is_missing(row["lalu"]):
            delta = float(row["nilai"]) - float(row["lalu"])
            if delta == 0:
                text += f" (tetap dari {tahun - 1})"
            else:
                change = (kpi_change(delta, row["satuan"]) or "").lstrip("+-")
                good = (delta > 0) == (row["arah"] == "naik")
                verb = "naik" if delta > 0 else "turun"
                judged = "membaik" if good else "memburuk"
                if row["arah"] not in ("naik", "turun"):
                    judged = ""
                text += f" ({verb} {change} dari {tahun - 1}{', ' + judged if judged else ''})"
        lines.append(text)
    return lines


def briefing(
    recipient: Recipient,
    kode: str,
    nama_area: str,
    tahun: int,
    headline: Iterable[Mapping],
    pdf: bytes,
    published_on: date,
    link: str,
) -> Message:
    changes = headline_lines(headline, tahun)
    lines = [
        "Yth. Bapak/Ibu,",
        "",
        f"Bersama pesan ini kami kirimkan laporan ringkas {nama_area} untuk data tahun "
        f"{tahun} dari Dasbor Desa Kalteng (data terbit {date_text(published_on)}).",
        "",
    ]
    if changes:
        lines += ["Indikator utama:", *changes]
    else:
        lines += [f"Belum ada nilai indikator utama untuk tahun {tahun}."]
    lines += [
        "",
        "Rincian, peta dan daftar desa prioritas ada di berkas PDF terlampir. Dasbor "
        "selengkapnya dapat dibuka di:",
        link,
        "",
        "Hormat kami,",
        SENDER_NAME,
        "",
        "--",
        f"Pesan ini dikirim otomatis setiap tanggal 5 ke akun {recipient.nama}, yang "
        "berlangganan laporan bulanan. Untuk berhenti, minta admin dasbor menjalankan "
        f"'akun ubah {recipient.nama} --tanpa-langganan'.",
    ]
    return Message(
        account=recipient.nama,
        to=recipient.email or "",
        subject=f"Laporan ringkas {nama_area} {tahun}",
        body="\n".join(lines) + "\n",
        attachments=(Attachment(pdf_name(kode, tahun), pdf),),
    )
