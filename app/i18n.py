"""Languages: French first, English from its catalogue; dates the way each language writes them.

The locale of a request is, in order: the FR/EN switch (a `lang` cookie), the
logged-in staff member's own choice, the browser's Accept-Language, French.
Mail, invites and reminders use the registrant's stored language instead
(`force_locale`). French output gets French typography: a narrow no-break
space before « : ; ! ? » and inside « » (see `french_typography`).
"""

import functools
import logging
import re
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date, format_time
from flask import has_request_context, request
from flask_babel import Domain, force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import babel

#: The languages of the interface, the default first, each in its own words.
LANGUAGE = {"fr": "Français", "en": "English"}
LOCALES = tuple(LANGUAGE)
DEFAULT_LOCALE = LOCALES[0]
#: The cookie the language switch sets.
LOCALE_COOKIE = "lang"
NARROW_NBSP = "\u202f"
_SPACE_BEFORE = re.compile(r"[ \u00a0]([:;!?»])")
_SPACE_AFTER = re.compile(r"«[ \u00a0]")

__all__ = ["LOCALES", "force_locale", "init_app", "locale_of", "current_locale"]


def init_app(app) -> None:
    _check_compiled(app)
    babel.init_app(app, locale_selector=select_locale)
    # Babel's own domain, with French typography (a cached property, replaced once).
    babel.domain_instance = TypographicDomain()
    app.jinja_env.filters["event_dates"] = event_dates
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_at_time"] = date_at_time
    app.context_processor(lambda: {"html_lang": current_locale(), "language_names": LANGUAGE})


def _check_compiled(app) -> None:
    """Refuse to serve English as French: each catalogue must be compiled (make, or pybabel)."""
    directories = app.config.get("BABEL_TRANSLATION_DIRECTORIES", "translations").split(";")
    missing = [
        str(catalogue)
        for directory in directories
        for catalogue in (Path(app.root_path) / directory).glob("*/LC_MESSAGES/messages.po")
        if not catalogue.with_suffix(".mo").exists()
    ]
    if not missing:
        return
    message = "uncompiled catalogues (run: pybabel compile -d app/translations): " + ", ".join(
        missing
    )
    if app.config["APP_ENV"] == "production":
        raise RuntimeError(message)
    logging.getLogger(__name__).warning(message)


def locale_of(value: str | None) -> str:
    """Return a supported locale for a stored or requested value (French by default)."""
    return value if value in LOCALES else DEFAULT_LOCALE


def select_locale() -> str:
    """Pick the request's language (see the module's docstring)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in LOCALES:
        return chosen
    own = getattr(current_user, "locale", None)
    if own in LOCALES:
        return own
    return request.accept_languages.best_match(LOCALES, default=DEFAULT_LOCALE)


def current_locale() -> str:
    """Return the language in use ("fr" outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LOCALE


@functools.lru_cache(maxsize=8192)
def french_typography(text: str) -> str:
    """Put a narrow no-break space before « : ; ! ? » and inside « », as French prints them."""
    text = _SPACE_BEFORE.sub(NARROW_NBSP + r"\1", text)
    return _SPACE_AFTER.sub("«" + NARROW_NBSP, text)


class _French:
    """The French catalogue: the source strings, with French typography and plural rule.

    French is the source language, so it has no catalogue file; gettext's own
    fallback would pick plurals the English way ("0 inscriptions"), whereas
    French writes 0 and 1 in the singular ("0 inscription trouvée").
    """

    def __init__(self, translations):
        self._translations = translations

    def ugettext(self, message):
        return french_typography(self._translations.ugettext(message))

    def ungettext(self, singular, plural, n):
        return french_typography(self._translations.ungettext(singular, plural, _french_n(n)))

    def upgettext(self, context, message):
        return french_typography(self._translations.upgettext(context, message))

    def unpgettext(self, context, singular, plural, n):
        french = _french_n(n)
        return french_typography(self._translations.unpgettext(context, singular, plural, french))

    gettext, ngettext, pgettext, npgettext = ugettext, ungettext, upgettext, unpgettext


def _french_n(n: int) -> int:
    """A count with the same grammatical number in English: 0 and 1 are singular in French."""
    return 1 if abs(n) < 2 else n


class TypographicDomain(Domain):
    """Flask-Babel's domain, whose French catalogue applies French typography."""

    def get_translations(self):
        translations = super().get_translations()
        locale = get_locale()
        if locale is None or locale.language != "fr":
            return translations
        french = getattr(translations, "_accueil_french", None)
        if french is None:
            french = translations._accueil_french = _French(translations)
        return french


def hour(moment: datetime) -> str:
    """Write a time: "14 h" or "14 h 30" in French, "14:00" in English."""
    language = current_locale()
    if language != "fr":
        return format_time(moment, "HH:mm", locale=language)
    if moment.minute:
        return f"{moment.hour} h {moment.minute:02d}"
    return f"{moment.hour} h"


def long_date(moment: date) -> str:
    """Write a day: "jeudi 16 avril 2026" ("mercredi 1er avril"), "Thursday 16 April 2026"."""
    language = current_locale()
    if language != "fr":
        return format_date(moment, "EEEE d MMMM y", locale=language)
    weekday = format_date(moment, "EEEE", locale=language)
    month_year = format_date(moment, "MMMM y", locale=language)
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{weekday} {day} {month_year}"


def date_at_time(moment: datetime) -> str:
    """Write an instant as "jeudi 16 avril 2026 à 14 h"."""
    return _("%(day)s à %(hour)s", day=long_date(moment), hour=hour(moment))


def event_dates(start: datetime, end: datetime) -> str:
    """Write a span in local time: "jeudi 16 avril 2026, de 14 h à 16 h"."""
    if start.date() == end.date():
        return _(
            "%(day)s, de %(start)s à %(end)s",
            day=long_date(start),
            start=hour(start),
            end=hour(end),
        )
    return _("du %(start)s au %(end)s", start=date_at_time(start), end=date_at_time(end))
