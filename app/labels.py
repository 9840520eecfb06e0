"""The words for coded values (statuses, roles...), the one place pages, exports and the
audit log take them from. Lazy: each is read in the language of whoever reads it."""

import sys

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

# Keys are the values stored (the models' StrEnums compare equal to them), so that
# pure builders can read labels without importing the models.

REGISTRATION_STATUS = {
    "confirmed": _l("Confirmée"),
    "waitlisted": _l("En liste d'attente"),
    "cancelled": _l("Annulée"),
}
EVENT_STATUS = {
    "draft": _l("Brouillon"),
    "published": _l("Publiée"),
    "cancelled": _l("Annulée"),
}
ROLE = {
    "admin": _l("Administrateur"),
    "organiser": _l("Organisateur"),
    "viewer": _l("Lecteur"),
    # "Accueil" is also the product's name, which stays untranslated: a context tells them apart.
    "checkin": lazy_pgettext("staff role", "Accueil"),
}
#: What each role may do, in a sentence (the account form's choices).
ROLE_DESCRIPTION = {
    "admin": _l("Administrateur : tout, dont les comptes et le journal"),
    "organiser": _l("Organisateur : réunions et inscrits"),
    "viewer": _l("Lecteur : consulter et exporter"),
    "checkin": _l("Accueil : l'entrée seulement"),
}
ORGANISATION_OVERFLOW = {
    "waitlist": _l("liste d'attente"),
    "refuse": _l("inscription refusée"),
}
MAIL_STATUS = {
    "pending": _l("en attente d'envoi"),
    "sent": _l("envoyé"),
    "failed": _l("échec de l'envoi"),
}
YES_NO = {True: _l("oui"), False: _l("non")}
#: What went to the building's security desk.
DESK_SENDING = {
    "list": _l("Liste des personnes attendues"),
    "addendum": _l("Changements depuis la liste"),
    "resend": _l("Nouvel envoi"),
}
#: Who a staff message goes to (app.models.Segment).
SEGMENT = {
    "confirmed": _l("Confirmés (venus ou non)"),
    "waitlisted": _l("En liste d'attente"),
    "checked_in": _l("Venus (entrée enregistrée)"),
    "no_show": _l("Confirmés mais pas venus"),
}
#: The RGAA conformance a site declares (app.operator), as the RGAA words it.
CONFORMANCE = {
    "none": _l("non conforme"),
    "partial": _l("partiellement conforme"),
    "full": _l("totalement conforme"),
}


def init_app(app) -> None:
    """Let templates (and their macros) read these words as `labels`."""
    app.jinja_env.globals["labels"] = sys.modules[__name__]


def label(labels: dict, value) -> str:
    """Return the word for a value, or the value itself when it has none."""
    word = labels.get(value)
    return value if word is None else str(word)
