"""Forms of the attendee pages: search and filters, add by hand, correct, promote."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.i18n import LANGUAGE, LOCALES
from app.registration.forms import ApplicantForm
from app.registration.validators import clean_text, single_line

#: The list's filters (what to show), not the statuses themselves (app.labels).
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


class DetailsForm(ApplicantForm):
    """A registrant's details as staff type or correct them, and the language of their mail."""

    locale = RadioField(
        _l("Langue des e-mails"),
        choices=[SelectChoice(code, LANGUAGE[code]) for code in LOCALES],
        default=LOCALES[0],
        validators=[DataRequired(_l("Choisissez une langue."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff type someone else's details: the browser must not fill in their own.
        for name in ("given_name", "family_name", "email", "organisation", "job_title", "phone"):
            self[name].render_kw = {**(self[name].render_kw or {}), "autocomplete": "off"}

    def locale_choice(self) -> str:
        return self.locale.data

    def details(self) -> dict:
        return self.applicant()


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
