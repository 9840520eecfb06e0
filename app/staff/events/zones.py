"""The time zones an event may be in: France's first, then every IANA zone, for a <select>."""

from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

DEFAULT = "Europe/Paris"
#: Where the French administration holds meetings, mainland first, then overseas.
FRANCE = {
    "Europe/Paris": _l("France métropolitaine"),
    "America/Guadeloupe": _l("Guadeloupe"),
    "America/Martinique": _l("Martinique"),
    "America/Cayenne": _l("Guyane"),
    "Indian/Reunion": _l("La Réunion"),
    "Indian/Mayotte": _l("Mayotte"),
    "America/Miquelon": _l("Saint-Pierre-et-Miquelon"),
    "America/St_Barthelemy": _l("Saint-Barthélemy"),
    "America/Marigot": _l("Saint-Martin"),
    "Pacific/Noumea": _l("Nouvelle-Calédonie"),
    "Pacific/Tahiti": _l("Polynésie française (Tahiti)"),
    "Pacific/Marquesas": _l("Polynésie française (Marquises)"),
    "Pacific/Gambier": _l("Polynésie française (Gambier)"),
    "Pacific/Wallis": _l("Wallis-et-Futuna"),
    "Indian/Kerguelen": _l("Terres australes et antarctiques françaises"),
}
#: Names kept for old systems (Etc/GMT+5 has the sign backwards, US/Eastern...), left out.
_LEGACY_PREFIXES = ("Etc/", "SystemV/", "US/", "posix", "right/")


@cache
def other_zones() -> tuple[str, ...]:
    """Every other current IANA zone of the form Region/City, sorted."""
    return tuple(
        sorted(
            name
            for name in available_timezones()
            if "/" in name and not name.startswith(_LEGACY_PREFIXES) and name not in FRANCE
        )
    )


def choices() -> dict:
    """The <select>'s options, grouped: France first, every other zone after."""
    return {
        _l("France"): [(name, f"{label} ({name})") for name, label in FRANCE.items()],
        _l("Autres fuseaux"): [(name, name.replace("_", " ")) for name in other_zones()],
    }


def is_known(name: str) -> bool:
    return name in FRANCE or name in other_zones()


def known_timezone(message):
    """A validator: the value is one of the listed zones."""

    def check(form, field):
        if not is_known(field.data or ""):
            raise ValidationError(message)

    return check
