"""Delivery of messages against a real SMTP server on loopback (aiosmtpd), and the outbox."""

import email
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy

import pytest
from aiosmtpd.controller import Controller

from pipelines.notifikasi.kirim import FAILED, OUTBOX, SENT, deliver
from pipelines.notifikasi.pesan import Attachment, Message
from pipelines.settings import SmtpSettings
from tests.browser import free_port

SENDER = "Dinas PMD Kalimantan Tengah <dasbor@kalteng.go.id>"


class Recorder:
    """Keeps every message that arrives; refuses one address as a real server would."""

    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("tolak@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"


@contextmanager
def serving(recorder: Recorder) -> Iterator[tuple[Recorder, SmtpSettings]]:
    """A real SMTP server on loopback answering with `recorder`, and the settings to reach it."""
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield recorder, SmtpSettings(host="127.0.0.1", port=controller.port, tls="tidak")
    finally:
        controller.stop()


@pytest.fixture
def smtp_server():
    with serving(Recorder()) as server:
        yield server


def reminder(account: str, to: str) -> Message:
    return Message(
        account=account,
        to=to,
        subject="Pengingat: data Dana Desa 2025 belum diterima",
        body="Yth. Bapak/Ibu petugas data,\nData Dana Desa 2025 terlambat 3 hari.\n",
        attachments=(Attachment("templat_dana_desa_62.03.xlsx", b"PK\x03\x04isi"),),
    )


def test_a_refused_address_fails_alone_and_the_others_arrive(smtp_server, tmp_path):
    recorder, smtp = smtp_server
    outcomes = deliver(
        [reminder("budi", "budi@kapuaskab.go.id"), reminder("sari", "tolak@katingankab.go.id"),
         reminder("andi", "andi@seruyankab.go.id")],
        smtp, tmp_path / "kotak_keluar", sender=SENDER,
    )  # fmt: skip
    assert [(o.account, o.status) for o in outcomes] == [
        ("budi", SENT), ("sari", FAILED), ("andi", SENT),
    ]  # fmt: skip
    assert "550" in outcomes[1].reason
    assert "ditolak" in outcomes[1].reason
    assert [rcpt for rcpt, _ in recorder.received] == [
        ["budi@kapuaskab.go.id"],
        ["andi@seruyankab.go.id"],
    ]
    _, first = recorder.received[0]
    assert first["Subject"] == "Pengingat: data Dana Desa 2025 belum diterima"
    assert first["From"] == SENDER
    assert "terlambat 3 hari" in first.get_body(("plain",)).get_content()
    [attached] = list(first.iter_attachments())
    assert attached.get_filename() == "templat_dana_desa_62.03.xlsx"
    assert attached.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert attached.get_content() == b"PK\x03\x04isi"
    assert not (tmp_path / "kotak_keluar").exists()


def test_a_server_that_is_not_there_fails_every_message_with_a_reason(tmp_path):
    sandi = secrets.token_hex(8)  # made up per run: no secret-looking literal in the repository
    smtp = SmtpSettings(host="127.0.0.1", port=free_port(), tls="tidak", password=sandi)
    outcomes = deliver([reminder("budi", "budi@kapuaskab.go.id")], smtp, tmp_path)
    assert outcomes[0].status == FAILED
    assert outcomes[0].reason
    assert sandi not in outcomes[0].reason


def test_without_a_mail_server_messages_become_eml_files(tmp_path):
    outbox = tmp_path / "kotak_keluar"
    [outcome] = deliver([reminder("budi", "budi@kapuaskab.go.id")], None, outbox, sender=SENDER)
    assert outcome.status == OUTBOX
    assert outcome.path.parent == outbox
    assert outcome.path.suffix == ".eml"
    parsed = email.message_from_bytes(outcome.path.read_bytes(), policy=policy.default)
    assert parsed["To"] == "budi@kapuaskab.go.id"
    assert [a.get_filename() for a in parsed.iter_attachments()] == ["templat_dana_desa_62.03.xlsx"]
