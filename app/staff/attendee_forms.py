"""Forms of the attendee pages: search and filters, add by hand, correct, promote."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.registration.forms import (
    clean_text,
    email_address,
    no_control_chars,
    phone_number,
    single_line,
)
from app.staff.attendees import DETAIL_FIELDS
from app.staff.event_forms import text_field

STATUS_CHOICES = [
    SelectChoice("all", _l("Toutes les inscriptions")),
    SelectChoice("confirmed", _l("Confirmées")),
    SelectChoice("waitlisted", _l("En liste d'attente")),
    SelectChoice("cancelled", _l("Annulées")),
    SelectChoice("checked_in", _l("Entrées enregistrées")),
    SelectChoice("not_checked_in", _l("Confirmées, pas encore entrées")),
]
SORT_CHOICES = [
    SelectChoice("name", _l("Nom")),
    SelectChoice("organisation", _l("Organisation")),
    SelectChoice("registered", _l("Date d'inscription")),
    SelectChoice("status", _l("Statut")),
]
ORDER_CHOICES = [SelectChoice("asc", _l("croissant")), SelectChoice("desc", _l("décroissant"))]


class AttendeeFilterForm(FlaskForm):
    """The GET form above the list; a bad value falls back to its default."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Rechercher"),
        filters=[clean_text],
        validators=[Optional(), Length(max=200), single_line],
        description=_l("Nom, prénom, adresse ou organisation."),
        render_kw={"type": "search", "spellcheck": "false"},
    )
    status = SelectField(_l("Inscriptions à afficher"), choices=STATUS_CHOICES, default="all")
    sort = SelectField(_l("Trier par"), choices=SORT_CHOICES, default="name")
    order = SelectField(_l("Ordre"), choices=ORDER_CHOICES, default="asc")
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(1, 100_000)])

    def value(self, name: str):
        """Return a field's value, or its default when it did not validate."""
        field = self[name]
        return field.default if field.errors or field.data in (None, "") else field.data


class DetailsForm(FlaskForm):
    """A registrant's contact details, as staff type or correct them."""

    given_name = text_field(_l("Prénom"), 100, required_message=_l("Indiquez le prénom."))
    family_name = text_field(_l("Nom"), 100, required_message=_l("Indiquez le nom."))
    email = EmailField(
        _l("Adresse électronique"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Indiquez l'adresse électronique.")),
            Length(max=254, message=_l("254 caractères au plus.")),
            single_line,
            email_address,
        ],
        description=_l("Le billet y est envoyé."),
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    organisation = text_field(
        _l("Administration ou organisme"),
        200,
        required_message=_l("Indiquez l'administration ou l'organisme."),
    )
    job_title = text_field(_l("Fonction"), 150, required_message=_l("Indiquez la fonction."))
    phone = TelField(
        _l("Téléphone (facultatif)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=30), phone_number],
    )
    accessibility_needs = TextAreaField(
        _l("Besoins d'accessibilité (facultatif)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=1000), no_control_chars],
        render_kw={"rows": 3},
    )

    def details(self) -> dict:
        values = {name: self[name].data for name in DETAIL_FIELDS}
        values["phone"] = values["phone"] or None
        values["accessibility_needs"] = values["accessibility_needs"] or None
        return values


def reason_field():
    return StringField(
        _l("Motif (obligatoire pour dépasser la capacité)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=200), single_line],
        description=_l("Par exemple : intervenant, demande du cabinet. Il figure au journal."),
    )


class AddAttendeeForm(DetailsForm):
    over_capacity = BooleanField(_l("Confirmer même si la réunion est complète"))
    reason = reason_field()


class PromoteForm(FlaskForm):
    reason = reason_field()


class ActionForm(FlaskForm):
    """A CSRF-only form for the cancel and resend buttons."""
