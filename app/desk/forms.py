"""The security desk's fields, shown on the event's form (staff/events)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import Length, Optional, ValidationError

from app.desk import services as desk
from app.registration.forms import clean_text, single_line

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def desk_addresses(form, field):
    """Check the desk's addresses and keep them normalised, comma-separated."""
    try:
        field.data = ", ".join(desk.parse_addresses(field.data or ""))
    except desk.InvalidDeskSetting:
        raise ValidationError(
            _l(
                "Indiquez des adresses électroniques séparées par des virgules, %(max)d au plus.",
                max=desk.MAX_RECIPIENTS,
            )
        ) from None


class DeskFields:
    """Where and when the list of people expected goes (a mixin for the event's form).

    The cutoff is typed in the event's time zone, like the event's other dates.
    """

    desk_recipients = StringField(
        _l("Adresses de l'accueil sécurité (facultatif)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=1000), single_line, desk_addresses],
        description=_l(
            "La liste des personnes attendues leur est envoyée à l'heure dite, puis les "
            "seuls changements. Séparées par des virgules ; vide : rien n'est envoyé."
        ),
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    desk_cutoff_at = DateTimeLocalField(
        _l("Envoi de la liste à l'accueil sécurité (facultatif)"),
        format=LOCAL_FORMAT,
        validators=[Optional()],
        description=_l("Vide : la veille à 12 h, heure de Paris."),
    )
