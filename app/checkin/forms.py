"""The door's forms: a walk-in, as door staff type it."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.registration.forms import ApplicantForm
from app.registration.validators import clean_text, email_address, plain_name, single_line


def _name_field(label, missing, too_long, limit: int) -> StringField:
    return StringField(
        label,
        filters=[clean_text],
        validators=[
            DataRequired(message=missing),
            Length(max=limit, message=too_long),
            single_line,
            plain_name,
        ],
        # Staff type someone else's details: the browser must not fill in their own.
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class WalkInForm(ApplicantForm):
    """Someone who turns up without a ticket, registered by door staff: a name, an
    organisation, an address only if they give one (no address, no message)."""

    given_name = _name_field(
        _l("Prénom"),
        _l("Indiquez son prénom."),
        _l("Le prénom ne peut dépasser 100 caractères."),
        100,
    )
    family_name = _name_field(
        _l("Nom"),
        _l("Indiquez son nom."),
        _l("Le nom ne peut dépasser 100 caractères."),
        100,
    )
    organisation = _name_field(
        _l("Administration ou organisme"),
        _l("Indiquez son administration ou organisme."),
        _l("Ce champ ne peut dépasser 200 caractères."),
        200,
    )
    email = EmailField(
        _l("Adresse électronique (facultatif)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=254, message=_l("L'adresse ne peut dépasser 254 caractères.")),
            single_line,
            email_address,
        ],
        description=_l("Si la personne la donne, elle reçoit son billet. Sinon, aucun e-mail."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    job_title = None
    phone = None
    accessibility_needs = None
    over_capacity = BooleanField(_l("Faire entrer au-delà de la capacité"))
    reason = StringField(
        _l("Motif (obligatoire au-delà de la capacité)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=200, message=_l("Le motif ne peut dépasser 200 caractères.")),
            single_line,
        ],
        description=_l("Par exemple : intervenant, invité du cabinet. Il figure au journal."),
        render_kw={"autocomplete": "off"},
    )

    def applicant(self) -> dict:
        return {
            "given_name": self.given_name.data,
            "family_name": self.family_name.data,
            "organisation": self.organisation.data,
            "email": self.email.data or None,
            "job_title": "",
            "phone": None,
            "accessibility_needs": None,
            "locale": self.locale_choice(),
        }
