"""The message form: the segment (with its counts), the subject, the text, the certificate."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from app.formats import normalise_newlines
from app.labels import SEGMENT
from app.registration.forms import SUBMISSION_KEY, new_submission_key
from app.staff.messages.services import Draft, Reach


class MessageForm(FlaskForm):
    """What staff write; the submission key makes a second POST of one form send nothing."""

    segment = RadioField(
        _l("Destinataires"),
        choices=[SelectChoice(key, label) for key, label in SEGMENT.items()],
        validators=[InputRequired(message=_l("Choisissez à qui écrire."))],
    )
    subject = StringField(
        _l("Objet"),
        validators=[DataRequired(message=_l("Donnez un objet.")), Length(max=150)],
    )
    body = TextAreaField(
        _l("Message"),
        description=_l(
            "Texte simple, sans mise en forme. Une ligne vide sépare deux paragraphes. "
            "Bonjour, la réunion et le lien de gestion de l'inscription sont ajoutés "
            "dans la langue de chaque personne."
        ),
        filters=[normalise_newlines],
        validators=[DataRequired(message=_l("Écrivez le message.")), Length(max=10000)],
        render_kw={"rows": 10},
    )
    with_certificate = BooleanField(
        _l("Joindre à chaque personne son attestation de présence (PDF)"),
        description=_l("Pour les personnes venues, une fois la réunion terminée."),
    )
    submission_key = HiddenField(default=new_submission_key)

    def count_segments(self, reach: dict[str, Reach]) -> None:
        """Show each segment's number of recipients next to its name."""
        self.segment.choices = [
            SelectChoice(key, _with_count(label, reach[key])) for key, label in SEGMENT.items()
        ]

    def draft(self) -> Draft:
        return Draft(
            segment=self.segment.data,
            subject=self.subject.data.strip(),
            body=self.body.data.strip("\n"),
            with_certificate=bool(self.with_certificate.data),
        )

    def submission(self) -> str:
        """Return the form's key, or a new one if it came back malformed."""
        key = self.submission_key.data or ""
        return key if SUBMISSION_KEY.match(key) else new_submission_key()


def _with_count(label, reach: Reach) -> str:
    people = ngettext("%(num)d personne", "%(num)d personnes", reach.recipients)
    if reach.skipped:
        people += ", " + ngettext("%(num)d sans adresse", "%(num)d sans adresse", reach.skipped)
    return f"{label} ({people})"
