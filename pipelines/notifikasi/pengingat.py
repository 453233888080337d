"""The reminder an officer reads: what its kabupaten has not sent, by when, and where to send it,
with the kabupaten's Excel template for each dataset attached."""

from collections.abc import Callable
from datetime import date

from laporan.formatting import MONTHS, number
from pipelines.notifikasi.jadwal import Recipient, Slice
from pipelines.notifikasi.pesan import Attachment, Message
from pipelines.settings import SENDER_NAME

UPLOAD_PAGE = "unggah"  # the upload page's URL path (docs/operations.md)


def date_text(day: date) -> str:
    """`31 Maret 2026`."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def template_name(dataset: str, kode_kab: str | None) -> str:
    """As the dashboard's `Unduh templat` names it."""
    return f"templat_{dataset}{'_' + kode_kab if kode_kab else ''}.xlsx"


def _state(s: Slice, today: date) -> str:
    late = s.days_late(today)
    if late:
        return f"belum dikirim, terlambat {number(late)} hari"
    left = s.days_left(today)
    return "jatuh tempo hari ini" if left == 0 else f"jatuh tempo {number(left)} hari lagi"


def reminder(
    recipient: Recipient,
    slices: list[Slice],
    today: date,
    nama_kab: str,
    labels: dict[str, str],
    public_url: str,
    template: Callable[[str, str], tuple[str, bytes]],
) -> Message:
    """One message listing `slices` (all of the kabupaten's pending ones). `labels` names each
    dataset for people; `template(dataset, kode_kab)` gives an attachment's name and bytes."""
    late = [s for s in slices if s.days_late(today)]
    if late:
        subject = f"Pengingat: {len(late)} data {nama_kab} belum diterima"
    else:
        subject = f"Pengingat: tenggat pengiriman data {nama_kab} sudah dekat"
    lines = [
        f"Yth. Bapak/Ibu petugas data {nama_kab},",
        "",
        f"Menurut jadwal pelaporan {SENDER_NAME}, data berikut dari {nama_kab} belum kami terima:",
        "",
    ]
    for i, s in enumerate(slices, 1):
        label = labels.get(s.dataset, s.dataset)
        lines += [
            f"{i}. {label}, data tahun {s.tahun_data}",
            f"   Tenggat {date_text(s.tenggat)}: {_state(s, today)}.",
        ]
    link = f"{public_url.rstrip('/')}/{UPLOAD_PAGE}"
    attachments = tuple(
        Attachment(*template(dataset, recipient.kode_kab or ""))
        for dataset in dict.fromkeys(s.dataset for s in slices)
    )
    # A village dataset's template lists the kabupaten's desa (and is named with its code).
    villages = any(a.filename.endswith(f"_{recipient.kode_kab}.xlsx") for a in attachments)
    lines += [
        "",
        "Mohon kirimkan data tersebut melalui halaman Unggah Data di Dasbor Desa Kalteng "
        "(masuk dengan akun Bapak/Ibu):",
        link,
        "",
        "Templat Excel untuk setiap dataset di atas kami lampirkan"
        + (f", berisi daftar desa {nama_kab} beserta kodenya" if villages else "")
        + ". Templat yang diisi sesuai petunjuk di dalamnya dapat langsung diunggah.",
        "",
        "Bila data sudah Bapak/Ibu kirim dalam satu-dua hari terakhir, mohon abaikan pesan ini; "
        "penerimaannya akan tampil di halaman Kualitas Data.",
        "",
        "Terima kasih atas kerja sama Bapak/Ibu.",
        "",
        "Hormat kami,",
        SENDER_NAME,
        "",
        "--",
        f"Pesan ini dikirim otomatis oleh Dasbor Desa Kalteng ke akun {recipient.nama}. "
        "Pengingat dikirim 7 hari sebelum tenggat, pada hari tenggat, lalu setiap 7 hari "
        "selama data belum diterima.",
    ]
    return Message(
        account=recipient.nama,
        to=recipient.email or "",
        subject=subject,
        body="\n".join(lines) + "\n",
        attachments=attachments,
    )
