"""The plain rows every export is built from, their columns, labels and name order.

Nothing here touches the database or the request: the builders and their tests use it alone.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

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
    phone: str | None
    accessibility_needs: str | None
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


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the CSV and XLSX files: the row's attribute, its header, its width."""

    key: str
    header: object  # a lazy string, read in the exporting person's language
    #: Width in characters (XLSX).
    width: int
    #: `text`, `status`, `number` or `datetime`.
    kind: str = "text"


COLUMNS = {
    column.key: column
    for column in (
        Column("family_name", _l("Nom"), 24),
        Column("given_name", _l("Prénom"), 20),
        Column("email", _l("Adresse électronique"), 34),
        Column("organisation", _l("Organisation"), 34),
        Column("job_title", _l("Fonction"), 28),
        Column("phone", _l("Téléphone"), 18),
        Column("accessibility_needs", _l("Besoins d'accessibilité"), 40),
        Column("status", _l("Statut"), 16, "status"),
        Column("waitlist_position", _l("Position en liste d'attente"), 13, "number"),
        Column("registered_at", _l("Inscrit le"), 17, "datetime"),
        Column("checked_in_at", _l("Entrée le"), 17, "datetime"),
    )
}
#: Organisers and admins: every column, phone and accessibility needs included.
FULL_COLUMNS = tuple(COLUMNS)
#: Viewers: what the building's security desk needs to let people in, nothing more.
DESK_COLUMNS = ("family_name", "given_name", "organisation", "status", "checked_in_at")
#: The security desk's own spreadsheet: who is expected, and what reception should prepare.
DESK_LIST_COLUMNS = ("family_name", "given_name", "organisation", "job_title",
                     "accessibility_needs")  # fmt: skip


def column_headers(columns: tuple[str, ...] = FULL_COLUMNS) -> list[str]:
    """Return the headers of these columns, in the current language."""
    return [str(COLUMNS[key].header) for key in columns]


def row_of(registration, zone) -> AttendeeRow:
    """Return the row of a registration (any object with its attributes), times in `zone`."""
    checked = registration.checked_in_at
    return AttendeeRow(
        code=registration.code,
        family_name=registration.family_name,
        given_name=registration.given_name,
        email=registration.email,
        organisation=registration.organisation,
        job_title=registration.job_title,
        phone=registration.phone,
        accessibility_needs=registration.accessibility_needs,
        status=registration.status,
        waitlist_position=registration.waitlist_position,
        registered_at=registration.created_at.astimezone(zone),
        checked_in_at=checked.astimezone(zone) if checked else None,
    )


def status_labels() -> dict[str, str]:
    """Return the word for each registration status (computed once per export)."""
    return {status: str(word) for status, word in REGISTRATION_STATUS.items()}


def local_time(moment: datetime | None) -> str:
    """Write a local instant in ISO 8601, "2027-04-16 14:05" ("" for none): read the same
    way whatever the spreadsheet's language."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


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
