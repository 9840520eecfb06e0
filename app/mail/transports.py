"""Transports: SMTP, or .eml files under instance/outbox/ in development."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


def build_email(message, sender: str) -> EmailMessage:
    """Build the MIME message of an outbox row: plain text with an HTML alternative."""
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = message.recipient
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(message.created_at)
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    return email


class FileTransport:
    """Write each message as an .eml file (the development default)."""

    def __init__(self, directory: Path):
        self.directory = directory

    def send(self, message, sender: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{message.id:06d}-{message.kind}.eml"
        path.write_bytes(bytes(build_email(message, sender)))
        log.info("mail written to %s", path)


class SmtpTransport:
    """Send through the SMTP server of the MAIL_* settings."""

    def __init__(self, config):
        self.config = config

    def send(self, message, sender: str) -> None:
        config = self.config
        connection_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
        with connection_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(build_email(message, sender))


def transport_for(config):
    if config["MAIL_SERVER"]:
        return SmtpTransport(config)
    return FileTransport(Path(current_app.instance_path) / "outbox")
