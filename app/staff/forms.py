"""Forms of the staff accounts: login, own password, account management."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from app.registration.forms import clean_text, email_address, single_line
from app.staff.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

ROLE_CHOICES = [
    SelectChoice("admin", _l("Administrateur : tout, dont les comptes et le journal")),
    SelectChoice("organiser", _l("Organisateur : réunions et inscrits")),
    SelectChoice("viewer", _l("Lecteur : consulter et exporter")),
    SelectChoice("checkin", _l("Accueil : l'entrée seulement")),
]
ROLE_LABELS = {
    "admin": _l("Administrateur"),
    "organiser": _l("Organisateur"),
    "viewer": _l("Lecteur"),
    "checkin": _l("Accueil"),
}


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


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Adresse électronique"),
        validators=[DataRequired(_l("Indiquez votre adresse.")), Length(max=254), single_line],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[
            DataRequired(_l("Indiquez votre mot de passe.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Mot de passe actuel"),
        validators=[
            DataRequired(_l("Indiquez votre mot de passe actuel.")),
            Length(max=MAX_PASSWORD_LENGTH),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    new = new_password_field(_l("Nouveau mot de passe"))
    confirm = PasswordField(
        _l("Nouveau mot de passe, une seconde fois"),
        validators=[EqualTo("new", message=_l("Les deux mots de passe ne sont pas identiques."))],
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
