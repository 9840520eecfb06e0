"""The attendance certificate of one registrant: from their management page, or joined to
a staff message to those who came (made by the sender, one PDF per recipient).

The rule (checked in, event over) is app.registration.attendance's; the page is the
pure builder `pdf.certificate_pdf`, in the registrant's language.
"""

import logging
from datetime import datetime

from flask_babel import gettext as _

from app.exports.pdf import certificate_pdf
from app.exports.rows import row_of
from app.exports.services import event_heading
from app.extensions import db
from app.i18n import force_locale, locale_of
from app.mail import sender
from app.models import OutboxMessage, Registration
from app.operator import current_operator
from app.registration.attendance import CertificateRefused, check_certificate

#: The outbox kind of a staff message that carries the recipient's certificate.
CERTIFICATE_KIND = "message_certificate"
PDF = "application/pdf"

log = logging.getLogger(__name__)


def duration_words(minutes: int) -> str:
    """Write a duration as people read it: "2 h", "1 h 30", "45 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min", minutes=rest)
    if not rest:
        return _("%(hours)d h", hours=hours)
    return _("%(hours)d h %(minutes)02d", hours=hours, minutes=rest)


def certificate_file(registration: Registration, now: datetime | None = None) -> tuple[str, bytes]:
    """Return the certificate's file name and PDF; raise CertificateRefused if not due."""
    check_certificate(registration, now)
    event = registration.event
    operator = current_operator()
    with force_locale(locale_of(registration.locale)):
        minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
        data = certificate_pdf(
            event_heading(event),
            row_of(registration, event.tz),
            organiser=event.organiser_name,
            duration=duration_words(minutes),
            issuer=f"{operator.service_name}, {operator.name}",
        )
    return f"attestation-presence-{event.slug}-{event.local_start.date().isoformat()}.pdf", data


def _message_files(message: OutboxMessage) -> list[tuple[str, str, bytes]]:
    """The files of a staff message to those who came: the recipient's certificate."""
    registration = message.registration and db.session.get(Registration, message.registration_id)
    if registration is None:
        return []
    try:
        filename, data = certificate_file(registration)
    except CertificateRefused as refusal:  # entry undone since: the text still goes
        log.warning("no certificate for outbox message %s: %s", message.id, refusal.code)
        return []
    return [(filename, PDF, data)]


sender.LATE_ATTACHMENTS[CERTIFICATE_KIND] = _message_files
