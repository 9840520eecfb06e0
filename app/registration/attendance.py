"""Who came: the rule of the attendance certificate (attestation de présence).

A registrant may have one once the event has ended, and only if they were let in
(checked in at the door). The rule is written once here: the management page shows
the link by it, the download and the staff message's attachment refuse by it.
"""

from datetime import datetime

from app.errors import DomainError
from app.models import Registration, RegistrationStatus, utcnow


class CertificateRefused(DomainError):
    code = "certificate_refused"


class NotCheckedIn(CertificateRefused):
    """The person was not let in: there is no attendance to certify."""

    code = "not_checked_in"


class EventNotOver(CertificateRefused):
    """Attendance is certified once the event has ended."""

    code = "event_not_over"


def check_certificate(registration: Registration, now: datetime | None = None) -> None:
    """Raise NotCheckedIn or EventNotOver unless the registrant may have a certificate."""
    if registration.status != RegistrationStatus.CONFIRMED or registration.checked_in_at is None:
        raise NotCheckedIn()
    if registration.event.ends_at > (now or utcnow()):
        raise EventNotOver()


def certificate_state(registration: Registration, now: datetime | None = None) -> str:
    """Return "ready", or the code of the refusal ("not_checked_in", "event_not_over")."""
    try:
        check_certificate(registration, now)
    except CertificateRefused as refusal:
        return refusal.code
    return "ready"
