"""Forms of the events: create and edit, duplicate, and CSRF-only buttons.

Dates are typed in the event's own time zone and stored in UTC. The rules that tie
fields together (end after start, a consistent window...) live in the service;
`EVENT_ERRORS` turns its codes into French messages next to the right field.
"""

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FloatField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import DateTimeLocalField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.desk.forms import DeskFields
from app.events.services import SLUG_PATTERN
from app.formats import normalise_newlines
from app.labels import ORGANISATION_OVERFLOW
from app.registration.validators import clean_text, email_address, no_control_chars, single_line
from app.staff.events import zones
from app.staff.events.services import EDITABLE_FIELDS

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
MAX_CAPACITY = 100_000
#: A sane span for dates typed by hand (and no overflow when converting zones).
FIRST_YEAR, LAST_YEAR = 2000, 2100
INSTANT_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

EVENT_ERRORS = {
    "bad_slug": _l("Utilisez des lettres minuscules sans accent, des chiffres et des tirets."),
    "slug_taken": _l("Cette adresse est déjà prise par une autre réunion."),
    "slug_locked": _l("L'adresse d'une réunion publiée ne change plus : ses liens circulent."),
    "unknown_timezone": _l("Fuseau horaire inconnu ; par exemple Europe/Paris."),
    "ends_before_start": _l("La fin doit être postérieure au début."),
    "capacity_negative": _l("Le nombre de places ne peut pas être négatif."),
    "limit_not_positive": _l("La limite doit être d'au moins 1."),
    "unknown_overflow": _l("Choisissez une option."),
    "window_inverted": _l("La clôture des inscriptions doit suivre leur ouverture."),
    "window_after_end": _l("Les inscriptions doivent se terminer au plus tard à la fin."),
}


def plausible_year(form, field):
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l("Indiquez une date entre %(first)d et %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        )


def finite(form, field):
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(_l("Indiquez un nombre."))


def email_domains(form, field):
    """Check each space-separated domain and keep them normalised (lower case, IDNA)."""
    domains = []
    for domain in (field.data or "").replace(",", " ").split():
        domain = domain.lstrip("@").lower()
        try:
            result = validate_email(f"x@{domain}", check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(
                _l("« %(domain)s » n'est pas un nom de domaine valide.", domain=domain)
            ) from None
        if result.domain not in domains:
            domains.append(result.domain)
    field.data = " ".join(domains)


def local_instant_field(label, *, required: bool, description=None):
    presence = InputRequired(_l("Indiquez la date et l'heure.")) if required else Optional()
    return DateTimeLocalField(
        label,
        format=LOCAL_FORMAT,
        validators=[presence, plausible_year],
        description=description,
    )


def text_field(label, max_length: int, *, required_message=None, **kwargs):
    presence = DataRequired(required_message) if required_message else Optional()
    return StringField(
        label,
        filters=[clean_text],
        validators=[
            presence,
            Length(max=max_length, message=_l("%(max)d caractères au plus.", max=max_length)),
            single_line,
        ],
        **kwargs,
    )


class EventForm(DeskFields, FlaskForm):
    title = text_field(_l("Titre"), 200, required_message=_l("Indiquez le titre."))
    slug = StringField(
        _l("Adresse de la page"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=80, message=_l("80 caractères au plus.")),
            Regexp(SLUG_PATTERN, message=EVENT_ERRORS["bad_slug"]),
        ],
        description=_l(
            "La page publique sera /e/ suivi de cette adresse, proposée d'après le titre ; "
            "vide : faite à partir du titre."
        ),
        # slug.js proposes it from the title as one types (data-slug-from), until edited.
        render_kw={"spellcheck": "false", "autocapitalize": "none", "data-slug-from": "title"},
    )
    description = TextAreaField(
        _l("Présentation (facultatif)"),
        # A browser sends "\r\n" line endings: stored as "\n", the paragraphs stay apart.
        filters=[clean_text, normalise_newlines],
        validators=[
            Optional(),
            Length(max=10_000, message=_l("10 000 caractères au plus.")),
            no_control_chars,
        ],
        description=_l("Séparez les paragraphes par une ligne vide."),
        render_kw={"rows": 6},
    )
    timezone = SelectField(
        _l("Fuseau horaire"),
        choices=zones.choices,
        default=zones.DEFAULT,
        # Checked against the same list, with our message rather than WTForms' own.
        validate_choice=False,
        validators=[zones.known_timezone(EVENT_ERRORS["unknown_timezone"])],
        description=_l("Les dates ci-dessous sont dans ce fuseau."),
    )
    starts_at = local_instant_field(_l("Début"), required=True)
    ends_at = local_instant_field(_l("Fin"), required=True)
    venue_name = text_field(_l("Nom du lieu (facultatif)"), 200)
    street = text_field(_l("Adresse"), 200, required_message=_l("Indiquez l'adresse."))
    postcode = text_field(_l("Code postal"), 10, required_message=_l("Indiquez le code postal."))
    city = text_field(_l("Ville"), 100, required_message=_l("Indiquez la ville."))
    latitude = FloatField(
        _l("Latitude (facultatif)"),
        validators=[Optional(), finite, NumberRange(-90, 90, _l("Entre -90 et 90."))],
    )
    longitude = FloatField(
        _l("Longitude (facultatif)"),
        validators=[Optional(), finite, NumberRange(-180, 180, _l("Entre -180 et 180."))],
    )
    capacity = IntegerField(
        _l("Nombre de places"),
        validators=[
            InputRequired(_l("Indiquez le nombre de places.")),
            NumberRange(0, MAX_CAPACITY, _l("Entre 0 et %(max)d.", max=MAX_CAPACITY)),
        ],
    )
    waitlist_enabled = BooleanField(_l("Liste d'attente quand la réunion est complète"))
    registration_opens_at = local_instant_field(
        _l("Ouverture des inscriptions (facultatif)"),
        required=False,
        description=_l("Vide : dès la publication."),
    )
    registration_closes_at = local_instant_field(
        _l("Clôture des inscriptions (facultatif)"),
        required=False,
        description=_l("Vide : au début de la réunion."),
    )
    per_organisation_limit = IntegerField(
        _l("Inscrits au plus par organisation (facultatif)"),
        validators=[Optional(), NumberRange(1, MAX_CAPACITY, EVENT_ERRORS["limit_not_positive"])],
    )
    organisation_overflow = RadioField(
        _l("Au-delà de cette limite"),
        choices=[SelectChoice(value, word) for value, word in ORGANISATION_OVERFLOW.items()],
        default="waitlist",
        validators=[DataRequired(EVENT_ERRORS["unknown_overflow"])],
    )
    allowed_email_domains = StringField(
        _l("Domaines d'adresse autorisés (facultatif)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=500), single_line, email_domains],
        description=_l(
            "Séparés par des espaces, par exemple gouv.fr interieur.gouv.fr ; vide : tous."
        ),
        render_kw={"spellcheck": "false"},
    )
    organiser_name = text_field(
        _l("Organisé par"), 200, required_message=_l("Indiquez qui organise.")
    )
    organiser_email = EmailField(
        _l("Adresse de contact de l'équipe"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Indiquez l'adresse de contact.")),
            Length(max=254),
            single_line,
            email_address,
        ],
        render_kw={"spellcheck": "false"},
    )

    def validate_desk_cutoff_at(self, field):
        plausible_year(self, field)

    def validate(self, extra_validators=None) -> bool:
        """Validate the fields, then read the local dates in the event's zone."""
        if not super().validate(extra_validators):
            return False
        zone = ZoneInfo(self.timezone.data)
        for name in (*INSTANT_FIELDS, "desk_cutoff_at"):
            field = self[name]
            if field.data is not None and to_utc(field.data, zone) is None:
                field.errors.append(
                    _l("Cette heure n'existe pas ce jour-là (passage à l'heure d'été).")
                )
        return not any(self[name].errors for name in (*INSTANT_FIELDS, "desk_cutoff_at"))

    def values(self) -> dict:
        """Return the checked values for the services, instants in UTC."""
        zone = ZoneInfo(self.timezone.data)
        values = {
            name: field.data
            for name, field in self._fields.items()
            if name not in ("csrf_token", *INSTANT_FIELDS, "desk_cutoff_at")
        }
        for name in (*INSTANT_FIELDS, "desk_cutoff_at"):
            local = self[name].data
            values[name] = to_utc(local, zone) if local is not None else None
        for name in ("venue_name", "description", "allowed_email_domains", "desk_recipients"):
            if name in values:
                values[name] = values[name] or ""
        return values


def to_utc(local: datetime, zone: ZoneInfo) -> datetime | None:
    """Read a wall-clock time in `zone`; None if the clocks skip it (spring forward)."""
    aware = local.replace(tzinfo=zone)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local:
        return None
    return instant


def initial_values(event, desk_setting=None) -> dict:
    """Return an event's values for the form, instants as wall-clock times of its zone."""
    data = {name: getattr(event, name) for name in EDITABLE_FIELDS}
    if desk_setting is not None:
        data["desk_recipients"] = ", ".join(desk_setting.addresses)
        data["desk_cutoff_at"] = desk_setting.cutoff_at
    for name in (*INSTANT_FIELDS, "desk_cutoff_at"):
        moment = data.get(name)
        data[name] = moment.astimezone(event.tz).replace(tzinfo=None) if moment else None
    return data


class DuplicateForm(FlaskForm):
    day = DateField(
        _l("Date de la nouvelle session"),
        validators=[InputRequired(_l("Indiquez la date.")), plausible_year],
        description=_l("Les horaires et la période d'inscription sont décalés d'autant de jours."),
    )
    slug = StringField(
        _l("Adresse de la page (facultatif)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=80, message=_l("80 caractères au plus.")),
            Regexp(SLUG_PATTERN, message=EVENT_ERRORS["bad_slug"]),
        ],
        description=_l("Vide : l'adresse actuelle suivie de la nouvelle date."),
        render_kw={"spellcheck": "false"},
    )


class ConfirmForm(FlaskForm):
    """A CSRF-only form for the buttons that change something."""
