"""The plain rows every export is built from, their columns, labels and name order.

Nothing here touches the database or the request: the builders and their tests use it alone.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.folding import fold
from app.labels import REGISTRATION_STATUS


@dataclass(frozen=True, slots=True)
class AttendeeRow:
    """One registration as the exports see it; instants are in the event's local time."""

    #: The ticket code: for the JSON export only, never written to a spreadsheet or sheet.
    code: str
    family_name: str
    given_name: str
    email: str
    organisation: str
    job_title: str
    #: `confirmed`, `waitlisted` or `cancelled` (RegistrationStatus values).
    status: str
    waitlist_position: int | None
    registered_at: datetime
    checked_in_at: datetime | None


@dataclass(frozen=True, slots=True)
class EventHeading:
    """What the top of a printed sheet says about the event."""

    title: str
    #: Already written in French: "vendredi 16 avril 2027, de 14 h à 16 h".
    dates: str
    place: str


#: Column widths in characters (XLSX), in the order of `column_headers()`.
COLUMN_WIDTHS = (24, 20, 34, 34, 28, 16, 13, 17, 17)


def column_headers() -> list[str]:
    """Return the French headers of the CSV and XLSX columns."""
    return [
        _("Nom"),
        _("Prénom"),
        _("Adresse électronique"),
        _("Organisation"),
        _("Fonction"),
        _("Statut"),
        _("Position en liste d'attente"),
        _("Inscrit le"),
        _("Entrée le"),
    ]


def status_labels() -> dict[str, str]:
    """Return the word for each registration status (computed once per export)."""
    return {status: str(word) for status, word in REGISTRATION_STATUS.items()}


def local_time(moment: datetime | None) -> str:
    """Write a local instant as "16/04/2027 14:05" ("" for none)."""
    return moment.strftime("%d/%m/%Y %H:%M") if moment else ""


def name_key(name: str) -> str:
    """Fold a name for sorting (see app.folding): no case, no accents, ligatures spelt out."""
    return fold(name)


def sort_key(row: AttendeeRow) -> tuple[str, str, str, str]:
    """Order by family name, then given name, folded; the exact spelling breaks ties."""
    return (
        name_key(row.family_name),
        name_key(row.given_name),
        row.family_name,
        row.given_name,
    )
