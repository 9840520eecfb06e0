"""Forms of the staff shell: logging in, changing one's own password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.passwords import MAX_PASSWORD_LENGTH
from app.registration.validators import single_line
from app.staff.accounts.forms import new_password_field


class LoginForm(FlaskForm):
    # A text input: HTML allows autocomplete="username" (password managers) on no e-mail input.
    email = StringField(
        _l("Adresse électronique"),
        validators=[DataRequired(_l("Indiquez votre adresse.")), Length(max=254), single_line],
        render_kw={
            "autocomplete": "username",
            "inputmode": "email",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
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
