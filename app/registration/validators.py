"""Checks of what people type: one line, no control or direction-override characters, a
real e-mail address (its domain in IDNA), a phone number, names that carry no web address.

What goes into a field may end up in official mail ("Bonjour <given name>"): nothing that
reads as a link, and nothing invisible, passes.
"""

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

# Control characters (NUL included) have no place in a name; PostgreSQL even
# refuses NUL. Tabs and newlines are allowed only in the free-text field.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]")
PHONE = re.compile(r"^\+?[0-9 .()\-]{6,30}$")


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
    """Check the syntax (no DNS look-up) and keep the address as mail servers take it:
    lower case, its domain in IDNA (ASCII) form ("mairie-évry.fr" as "xn--mairie-vry-…")."""
    if not field.data:
        return
    try:
        result = validate_email(field.data, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _l("Saisissez une adresse électronique valide, par exemple prenom.nom@exemple.gouv.fr.")
        ) from None
    if result.ascii_email is None:
        # Only servers that speak SMTPUTF8 take such an address: many ministries' do not.
        raise ValidationError(
            _l("Saisissez une adresse sans accent ni caractère spécial avant le « @ ».")
        )
    field.data = result.ascii_email.lower()


def phone_number(form, field):
    if field.data and not PHONE.match(field.data):
        raise ValidationError(
            _l("Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89.")
        )


#: Characters that reverse or isolate the direction of text (a "Trojan Source" spoof).
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
#: A web address, or a token that reads as a domain name ("evil.test", "www.x").
#: Bounded repeats keep the search linear on long hostile input (a scheme is short).
WEB_ADDRESS = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]{0,31}://|\bwww\.|\w\.[a-z]{2,63}\b)")
#: Letters that show as blanks although Unicode files them as letters or symbols.
BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def plain_name(form, field):
    """Refuse a name (or an organisation) holding a web address, or nothing visible."""
    text = field.data or ""
    if BIDI_CONTROLS.search(text):
        raise ValidationError(_l("Ce champ contient des caractères non autorisés."))
    if text and not any(_visible(char) for char in text):
        raise StopValidation(_l("Ce champ ne contient aucun caractère visible."))
    if WEB_ADDRESS.search(text):
        raise ValidationError(_l("N'indiquez pas d'adresse web ni de lien dans ce champ."))


def _visible(char: str) -> bool:
    if char in BLANK_LETTERS:
        return False
    return unicodedata.category(char)[0] not in {"Z", "C", "M"}
