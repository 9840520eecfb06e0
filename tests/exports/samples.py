"""Plain rows for the builder tests: names in every script our registrants use."""

from datetime import datetime
from zoneinfo import ZoneInfo

from app.exports.rows import AttendeeRow, EventHeading

PARIS = ZoneInfo("Europe/Paris")

#: (family name, given name), in the order the exports must list them: case never counts,
#: accents and Œ/Ł/ß/Ø file under plain letters, Greek then Cyrillic after Latin. (No other
#: name starts with D: ICU files Đ after D, `name_key` as D; both agree on this list.)
NAMES = [
    ("Đặng", "Văn Lâm"),
    ("Ebert", "Hélène"),
    ("Éluard", "Paul"),
    ("Fabre", "Adèle"),
    ("Le Goff", "Yann"),
    ("Łukasiewicz", "Łucja"),
    ("martin", "Adèle"),
    ("MARTIN", "Bruno"),
    ("Martin", "Zoé"),
    ("Nguyễn", "Thị Minh Khai"),
    ("Œuvray", "Cécile"),
    ("Ørsted", "Åse"),
    ("Weiß", "Jürgen"),
    ("Παπαδόπουλος", "Γιώργος"),
    ("Иванова", "Анна"),
]

#: Text that a spreadsheet would run or read as a number, typed into a free-text field.
FORMULAS = [
    '=HYPERLINK("http://x","clic")',
    "+33 1 23 45 67 89",
    "-1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]

HEADING = EventHeading(
    title="Réunion d'information AMI IA",
    dates="vendredi 16 avril 2027, de 14 h à 16 h",
    place="20 avenue de Ségur, 75007 Paris",
)


def row(family: str = "Martin", given: str = "Camille", **overrides) -> AttendeeRow:
    values = {
        "code": "Xq7-TICKET_c0de-9fJ2kLmNoPqRsTuV",
        "family_name": family,
        "given_name": given,
        "email": "camille.martin@interieur.gouv.fr",
        "organisation": "Ministère de l'Intérieur",
        "job_title": "Cheffe de projet",
        "phone": None,
        "accessibility_needs": None,
        "status": "confirmed",
        "waitlist_position": None,
        "registered_at": datetime(2027, 4, 1, 9, 30, tzinfo=PARIS),
        "checked_in_at": None,
    }
    values.update(overrides)
    return AttendeeRow(**values)


def people() -> list[AttendeeRow]:
    """Return one row per name of NAMES, in the expected order."""
    return [
        row(family, given, email=f"personne{n}@numerique.gouv.fr")
        for n, (family, given) in enumerate(NAMES)
    ]
