"""The registrant's fields, validated and bounded: the public form, and the base of the
staff's and the door's forms (app.staff.attendees.forms, app.checkin.forms)."""

import re
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.formats import normalise_newlines
from app.i18n import current_locale
from app.models import APPLICANT_FIELDS
from app.registration.validators import (
    clean_text,
    email_address,
    no_control_chars,
    phone_number,
    plain_name,
    single_line,
)

SUBMISSION_KEY = re.compile(r"^[0-9a-f]{32}$")


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
            plain_name,
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
            plain_name,
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
            plain_name,
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
        values = {name: self[name].data for name in APPLICANT_FIELDS if name in self}
        for optional in ("phone", "accessibility_needs"):
            values[optional] = values[optional] or None
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
    #: (An empty label: without one, WTForms would load its own catalogue at every request
    #: to translate a made-up "Submission Key" that no page shows.)
    submission_key = HiddenField("", default=new_submission_key)

    def submission(self) -> str | None:
        """Return the form's submission key when it is well formed."""
        key = self.submission_key.data or ""
        return key if SUBMISSION_KEY.match(key) else None


class OwnDetailsForm(ApplicantForm):
    """The registrant correcting their own details: everything but the address."""

    email = None


class ConfirmForm(FlaskForm):
    """A CSRF-only form for the buttons that change something."""
