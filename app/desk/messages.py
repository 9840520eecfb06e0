"""The desk's mail: a text, a PDF sign-in sheet and a spreadsheet, queued in the outbox.

The desk is the building's staff: its mail is in French. One outbox message per address,
each with its files (`outbox_attachment`), delivered after the commit like every message.
"""

import io
import uuid

from flask import current_app, render_template
from sqlalchemy import inspect

from app.database import after_commit
from app.exports.pdf import sign_in_sheet_pdf
from app.exports.rows import DESK_LIST_COLUMNS, row_of, sort_key
from app.exports.services import event_heading
from app.exports.xlsx import write_xlsx
from app.extensions import db
from app.i18n import force_locale, french_typography
from app.mail import sender
from app.models import Event, OutboxAttachment, OutboxMessage

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBJECTS = {
    "list": "Accueil sécurité – personnes attendues : {title}, {day}",
    "addendum": "Accueil sécurité – changements depuis la liste : {title}, {day}",
}
#: The addendum's spreadsheet says which way each person changed.
ADDENDUM_COLUMNS = ("status", *DESK_LIST_COLUMNS)


def queue(event: Event, changes, addresses: list[str], now, sending) -> OutboxMessage:
    """Queue the list or the addendum to every address; return the first message."""
    with force_locale("fr"):
        heading = event_heading(event)
        added = sorted((row_of(r, event.tz) for r in changes.added), key=sort_key)
        removed = sorted((row_of(r, event.tz) for r in changes.removed), key=sort_key)
        day = event.local_start.date().isoformat()
        files = [(f"{event.slug}-{day}-accueil-securite-emargement.pdf", PDF,
                  sign_in_sheet_pdf(heading, added))]  # fmt: skip
        workbook = io.BytesIO()
        if changes.kind == "list":
            write_xlsx(added, workbook, columns=DESK_LIST_COLUMNS)
            files.append((f"{event.slug}-{day}-accueil-securite.xlsx", XLSX, workbook.getvalue()))
        else:
            write_xlsx(added + removed, workbook, columns=ADDENDUM_COLUMNS)
            files.append(
                (f"{event.slug}-{day}-accueil-securite-changements.xlsx", XLSX, workbook.getvalue())
            )
        context = {"event": event, "heading": heading, "added": added, "removed": removed}
        subject = french_typography(SUBJECTS[changes.kind].format(title=event.title, day=day))
        text = render_template(f"mail/desk_{changes.kind}.txt", **context)
        html = render_template(f"mail/desk_{changes.kind}.html", **context)
    messages = [
        _message(f"desk_{changes.kind}", address, subject, text, html, files, now, sending)
        for address in addresses
    ]
    return messages[0]


def copy(original: OutboxMessage, addresses: list[str], sending) -> OutboxMessage:
    """Queue the same text and files again, to these addresses; return the first message."""
    files = [(a.filename, a.content_type, a.data) for a in original.attachments]
    messages = [
        _message(
            original.kind,
            address,
            original.subject,
            original.body_text,
            original.body_html,
            files,
            None,
            sending,
        )
        for address in addresses
    ]
    return messages[0]


def _message(kind, recipient, subject, text, html, files, now, sending) -> OutboxMessage:
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(" >")
    message = OutboxMessage(
        message_id=f"<{uuid.uuid4()}@{domain or 'accueil.localhost'}>",
        kind=kind,
        recipient=recipient,
        subject=subject[:255],
        body_text=text,
        body_html=html,
        **({"created_at": now} if now else {}),
    )
    for filename, content_type, data in files:
        message.attachments.append(
            OutboxAttachment(
                filename=filename, content_type=content_type, data=data, sending=sending
            )
        )
    db.session.add(message)
    after_commit(lambda: sender.deliver([inspect(message).identity[0]]))
    return message
