"""The MIME message of an outbox row, and the transports that carry it.

Structure, as calendar clients expect it (Outlook shows the invite from the
text/calendar alternative; others read the attached file):

    multipart/mixed
        multipart/alternative
            text/plain
            multipart/related; type="text/html"
                text/html
                image/png            the ticket's QR code, inline (Content-ID)
            text/calendar; method=REQUEST|CANCEL; charset=UTF-8
        application/ics              invite.ics, attached
        image/png                    billet-qr.png, attached
        application/pdf, ...         the message's attachments (the security desk's files)
"""

import logging
import smtplib
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app

from app.tickets.qr import qr_png

log = logging.getLogger(__name__)

QR_CID_PLACEHOLDER = "cid:ticket-qr"


#: Every part in 7-bit transfer encodings (quoted-printable or base64 where a part is not
#: ASCII): a relay that does not offer 8BITMIME gets a message it may carry as it is.
SEVEN_BIT = policy.default.clone(cte_type="7bit")


def build_email(message, sender: str) -> EmailMessage:
    """Build the MIME message of an outbox row (headers RFC 2047-encoded, bodies 7-bit)."""
    email = EmailMessage(policy=SEVEN_BIT)
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = message.recipient
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(message.created_at)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)

    qr = qr_png(message.ticket_url) if message.ticket_url else None
    html = message.body_html
    qr_cid = None
    if qr:
        qr_cid = make_msgid(domain="accueil.localhost")
        html = html.replace(QR_CID_PLACEHOLDER, "cid:" + qr_cid[1:-1])
    email.add_alternative(html, subtype="html")
    if qr:
        html_part = email.get_payload()[1]
        html_part.add_related(qr, "image", "png", cid=qr_cid, disposition="inline")
        # RFC 2387: multipart/related names the type of its root part.
        html_part.set_param("type", "text/html")
    if message.calendar:
        method = message.calendar_method
        email.add_alternative(message.calendar, subtype="calendar", params={"method": method})
        email.add_attachment(
            message.calendar.encode(),
            "application",
            "ics",
            filename="invite.ics",
            params={"method": method},
        )
    if qr:
        email.add_attachment(qr, "image", "png", filename="billet-qr.png")
    # Files joined to the message (the security desk's list): outbox_attachment rows.
    for attachment in getattr(message, "attachments", ()):
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(attachment.data, maintype, subtype, filename=attachment.filename)
    return email


class FileTransport:
    """Write each message as an .eml file (the development default)."""

    def __init__(self, directory: Path):
        self.directory = directory

    def send(self, message, sender: str, accepted: Callable[[], None] = lambda: None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{message.id:06d}-{message.kind}.eml"
        path.write_bytes(bytes(build_email(message, sender)))
        accepted()
        log.info("mail written to %s", path)


class SmtpTransport:
    """Send through the SMTP server of the MAIL_* settings."""

    def __init__(self, config):
        self.config = config

    def send(self, message, sender: str, accepted: Callable[[], None] = lambda: None) -> None:
        """Send; call `accepted` as soon as the relay took the message (before QUIT)."""
        config = self.config
        connection_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        email = build_email(message, sender)
        server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        with connection_class(server, port, timeout=timeout) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(email)  # returns once the relay answered 250 to the final dot
            accepted()


def transport_for(config):
    if config["MAIL_SERVER"]:
        return SmtpTransport(config)
    return FileTransport(outbox_directory())


def outbox_directory() -> Path:
    """Where the development transport writes its .eml files."""
    return Path(current_app.instance_path) / "outbox"


def forget_files(message_ids: set[int], mentioning: bytes | None = None) -> int:
    """Delete the .eml files of these messages, and those holding `mentioning`; return how many.

    The development transport keeps a copy of each message on disk: erasure and purge
    must reach it too.
    """
    removed = 0
    for path in outbox_directory().glob("*.eml"):
        number = path.name.partition("-")[0]
        matches = number.isdigit() and int(number) in message_ids
        if matches or (mentioning and mentioning in path.read_bytes()):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
