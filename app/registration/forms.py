"""The registrant's fields, validated and bounded: the public form, and the base of the
staff's and the door's forms (app.staff.attendees.forms, app.checkin.forms)."""

import re
import unicodedata
import uuid

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.formats import normalise_newlines
from app.i18n import current_locale
from app.models import APPLICANT_FIELDS

# Control characters (NUL included) have no place in a name; PostgreSQL even
# refuses NUL. Tabs and newlines are allowed only in the free-text field.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]")
PHONE = re.compile(r"^\+?[0-9 .()\-]{6,30}$")
SUBMISSION_KEY = re.compile(r"^[0-9a-f]{32}$")


def clean_text(value):
    """Normalise to NFC and trim; None stays None."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value).strip()


def single_line(form, field):
    if field.data and (CONTROL_CHARS.search(field.data) or LINE_BREAKS.search(field.data)):
        raise ValidationError(_l("Ce champ contient des caractères non autorisés."))


def no_control_chars(form, field):
    if field.data and CONTROL_CHARS.search(field.data):
        raise ValidationError(_l("Ce champ contient des caractères non autorisés."))


def email_address(form, field):
    """Check the syntax (no DNS look-up) and keep the normalised address."""
    if not field.data:
        return
    try:
        result = validate_email(field.data, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _l("Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.")
        ) from None
    field.data = result.normalized.lower()


def phone_number(form, field):
    if field.data and not PHONE.match(field.data):
        raise ValidationError(
            _l("Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89.")
        )


def required(message):
    return DataRequired(message=message)


def new_submission_key() -> str:
    return uuid.uuid4().hex


class ApplicantForm(FlaskForm):
    """Who registers: the seven fields of the contract."""

    given_name = StringField(
        _l("Prénom"),
        filters=[clean_text],
        validators=[
            required(_l("Indiquez votre prénom.")),
            Length(max=100, message=_l("Le prénom ne peut dépasser 100 caractères.")),
            single_line,
        ],
        render_kw={"autocomplete": "given-name"},
    )
    family_name = StringField(
        _l("Nom"),
        filters=[clean_text],
        validators=[
            required(_l("Indiquez votre nom.")),
            Length(max=100, message=_l("Le nom ne peut dépasser 100 caractères.")),
            single_line,
        ],
        render_kw={"autocomplete": "family-name"},
    )
    email = EmailField(
        _l("Adresse électronique professionnelle"),
        filters=[clean_text],
        validators=[
            required(_l("Indiquez votre adresse électronique.")),
            Length(max=254, message=_l("L'adresse ne peut dépasser 254 caractères.")),
            single_line,
            email_address,
        ],
        description=_l("Votre billet et l'invitation d'agenda y seront envoyés."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    organisation = StringField(
        _l("Administration ou organisme"),
        filters=[clean_text],
        validators=[
            required(_l("Indiquez votre administration ou organisme.")),
            Length(max=200, message=_l("Ce champ ne peut dépasser 200 caractères.")),
            single_line,
        ],
        description=_l("Par exemple : Ministère de l'Intérieur, DGFiP, Pôle emploi."),
        render_kw={"autocomplete": "organization"},
    )
    job_title = StringField(
        _l("Fonction"),
        filters=[clean_text],
        validators=[
            required(_l("Indiquez votre fonction.")),
            Length(max=150, message=_l("La fonction ne peut dépasser 150 caractères.")),
            single_line,
        ],
        render_kw={"autocomplete": "organization-title"},
    )
    phone = TelField(
        _l("Téléphone (facultatif)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=30, message=_l("Le numéro ne peut dépasser 30 caractères.")),
            phone_number,
        ],
        description=_l("Pour vous joindre en cas de changement de dernière minute."),
        render_kw={"autocomplete": "tel"},
    )
    accessibility_needs = TextAreaField(
        _l("Besoins d'accessibilité (facultatif)"),
        filters=[clean_text, normalise_newlines],
        validators=[
            Optional(),
            Length(max=1000, message=_l("Ce champ ne peut dépasser 1 000 caractères.")),
            no_control_chars,
        ],
        description=_l("Accès en fauteuil, interprétation en LSF, boucle magnétique…"),
        render_kw={"rows": 3},
    )

    def applicant(self) -> dict:
        """Return the validated answers as plain data for the services."""
        values = {name: self[name].data for name in APPLICANT_FIELDS}
        values["phone"] = values["phone"] or None
        values["accessibility_needs"] = values["accessibility_needs"] or None
        values["locale"] = self.locale_choice()
        return values

    def locale_choice(self) -> str:
        """The language of the person's messages: the page's own."""
        return current_locale()


class RegistrationForm(ApplicantForm):
    """The public form: the fields and a key against replays.

    No consent box: the basis is the organisers' public-interest mission (GDPR art.
    6-1-e), so the page informs next to the button instead of asking.
    """

    #: Random per rendered form: a replayed POST (double click, back and resend)
    #: finds the registration it already created instead of making a second one.
    submission_key = HiddenField(default=new_submission_key)

    def submission(self) -> str | None:
        """Return the form's submission key when it is well formed."""
        key = self.submission_key.data or ""
        return key if SUBMISSION_KEY.match(key) else None


class CancelForm(FlaskForm):
    """A CSRF-only form for the cancel button."""
