"""Delivering messages: over SMTP from SmtpSettings, or as .eml files in kotak_keluar/.

Each message is tried on its own: a refusal, a timeout or a dropped connection marks that one
`gagal` with the server's reason and the others still go. A reason never carries the password
(smtplib's errors hold the server's reply, not our credentials; the text is checked anyway).
"""

import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from pipelines import durable
from pipelines.notifikasi.pesan import Message, build
from pipelines.settings import SmtpSettings

SENT, OUTBOX, FAILED = "terkirim", "kotak_keluar", "gagal"


@dataclass(frozen=True)
class Outcome:
    account: str
    status: str  # terkirim, kotak_keluar or gagal
    reason: str | None = None
    path: Path | None = None  # the .eml written, for kotak_keluar


def _reason(exc: Exception, smtp: SmtpSettings) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values()
        ]
        text = "penerima ditolak server: " + "; ".join(codes)
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = f"server menjawab {exc.smtp_code} {exc.smtp_error.decode(errors='replace')}"
    elif isinstance(exc, TimeoutError):
        text = "server tidak menjawab (batas waktu habis)"
    elif isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError):
        text = "sambungan ke server terputus"
    else:
        text = f"{type(exc).__name__}: {exc}"
    if smtp.password:
        text = text.replace(smtp.password, "***")
    return re.sub(r"\s+", " ", text).strip()


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout_seconds, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        if smtp.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
    if smtp.user:
        client.login(smtp.user, smtp.password or "")
    return client


def _write_eml(outbox: Path, message: Message, mail: EmailMessage, now: datetime) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    stem = f"{now:%Y%m%dT%H%M%S}_{re.sub(r'[^A-Za-z0-9_.-]', '_', message.account)}"
    path, n = outbox / f"{stem}.eml", 1
    while path.exists():
        path, n = outbox / f"{stem}_{n}.eml", n + 1
    durable.write(path, mail.as_bytes())  # a reader never sees half a message
    return path


def deliver(
    messages: list[Message],
    smtp: SmtpSettings | None,
    outbox: Path,
    sender: str | None = None,
    now: datetime | None = None,
) -> list[Outcome]:
    """Send every message (one connection, reopened after a failure), or write them to
    `outbox` when `smtp` is None; one outcome per message, in order."""
    now = now or datetime.now(UTC)
    from_ = sender or (smtp.sender if smtp else SmtpSettings.sender)
    if smtp is None:
        return [
            Outcome(m.account, OUTBOX, path=_write_eml(outbox, m, build(m, from_), now))
            for m in messages
        ]
    outcomes, client = [], None
    try:
        for message in messages:
            try:
                if client is None:
                    client = _connect(smtp)
                client.send_message(build(message, from_))
                outcomes.append(Outcome(message.account, SENT))
            except (smtplib.SMTPException, OSError) as exc:
                outcomes.append(Outcome(message.account, FAILED, _reason(exc, smtp)))
                if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    client = _close(client)  # the connection may be gone: start afresh
    finally:
        _close(client)
    return outcomes


def _close(client: smtplib.SMTP | None) -> None:
    if client is not None:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()
