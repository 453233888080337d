"""Building one message: plain text in Bahasa Indonesia, with files attached."""

import mimetypes
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes


@dataclass(frozen=True)
class Message:
    account: str  # the account name: what the log keeps, never the address
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = field(default=())


def build(message: Message, sender: str) -> EmailMessage:
    """The message as the standard library writes it (MIME, UTF-8, attachments typed by name)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="dasbor.local")
    mail.set_content(message.body)
    for item in message.attachments:
        kind = mimetypes.guess_type(item.filename)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        mail.add_attachment(
            item.content, maintype=maintype, subtype=subtype, filename=item.filename
        )
    return mail
