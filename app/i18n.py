"""French first: the locale, and dates written the way the French write them."""

from datetime import datetime

from babel.dates import format_date
from flask_babel import gettext as _

from app.extensions import babel

LOCALE = "fr"


def init_app(app) -> None:
    babel.init_app(app, locale_selector=lambda: LOCALE)
    app.jinja_env.filters["event_dates"] = event_dates
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_at_time"] = date_at_time


def hour(moment: datetime) -> str:
    """Write a time as "14 h" or "14 h 30"."""
    if moment.minute:
        return f"{moment.hour} h {moment.minute:02d}"
    return f"{moment.hour} h"


def long_date(moment: datetime) -> str:
    """Write a day as "jeudi 16 avril 2026" ("mercredi 1er avril" on the first)."""
    weekday = format_date(moment, "EEEE", locale=LOCALE)
    month_year = format_date(moment, "MMMM y", locale=LOCALE)
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
