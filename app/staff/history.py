"""A registration's history: when it was made, the messages it was sent, staff actions."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, OutboxMessage, Registration
from app.staff import audit


@dataclass
class Step:
    at: datetime
    label: str
    #: Who did it: a staff address, "" for the registrant or the application.
    who: str = ""
    detail: str = ""
    entry: AuditEntry | None = None


def _mail_status(status: str) -> str:
    return {
        "pending": _("en attente d'envoi"),
        "sent": _("envoyé"),
        "failed": _("échec de l'envoi"),
    }.get(status, status)


def registration_history(registration: Registration) -> list[Step]:
    """Return the registration's steps, oldest first."""
    steps = [Step(registration.created_at, _("Inscription enregistrée"))]
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id)
        .order_by(OutboxMessage.id)
    )
    for message in messages:
        steps.append(
            Step(
                message.created_at,
                _("E-mail « %(subject)s »", subject=message.subject),
                detail=_mail_status(message.status),
            )
        )
    entries = audit.registration_entries(registration)
    for entry in entries:
        label = str(audit.ACTIONS.get(entry.action, entry.action))
        who = entry.actor_email or _("ligne de commande")
        steps.append(Step(entry.created_at, label, who=who, entry=entry))
    staff_cancelled = any(entry.action == "registration.cancel" for entry in entries)
    if registration.cancelled_at and not staff_cancelled:
        steps.append(Step(registration.cancelled_at, _("Annulée par la personne inscrite")))
    if registration.checked_in_at:
        who = registration.checked_in_by.email if registration.checked_in_by else ""
        steps.append(Step(registration.checked_in_at, _("Entrée enregistrée"), who=who))
    steps.sort(key=lambda step: step.at)
    return steps
