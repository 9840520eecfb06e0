"""Forms of account management: a new account, role and status, a password set by an admin."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice
from wtforms.validators import DataRequired, Length

from app.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from app.labels import ROLE_DESCRIPTION
from app.registration.validators import clean_text, email_address, single_line

ROLE_CHOICES = [SelectChoice(role, description) for role, description in ROLE_DESCRIPTION.items()]


def new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Indiquez un mot de passe.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "Le mot de passe doit compter entre %(min)d et %(max)d caractères.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
            ),
        ],
        description=_l(
            "Au moins %(min)d caractères ; une phrase de plusieurs mots convient bien.",
            min=MIN_PASSWORD_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )


class AccountForm(FlaskForm):
    email = EmailField(
        _l("Adresse électronique"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Indiquez l'adresse électronique.")),
            Length(max=254, message=_l("L'adresse ne peut dépasser 254 caractères.")),
            single_line,
            email_address,
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    role = RadioField(
        _l("Rôle"),
        choices=ROLE_CHOICES,
        default="organiser",
        validators=[DataRequired(_l("Choisissez un rôle."))],
    )
    password = new_password_field(_l("Mot de passe provisoire"))


class AccountEditForm(FlaskForm):
    role = RadioField(
        _l("Rôle"), choices=ROLE_CHOICES, validators=[DataRequired(_l("Choisissez un rôle."))]
    )
    active = BooleanField(_l("Compte actif (peut se connecter)"))


class PasswordResetForm(FlaskForm):
    password = new_password_field(_l("Nouveau mot de passe"))
