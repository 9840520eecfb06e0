"""What the dashboards show, assembled from the figures: the views only render it."""

from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext

from app.i18n import long_date
from app.models import Event
from app.staff.dashboard import queries
from app.staff.dashboard.chart import Bar, bar_chart

DEFAULT_ZONE = ZoneInfo("Europe/Paris")


def _chart(points, chart_id: str, title: str):
    if not points:
        return None
    bars = [
        Bar(
            label=f"{day.day:02d}/{day.month:02d}",
            value=count,
            title=ngettext(
                "%(day)s : %(num)d inscription",
                "%(day)s : %(num)d inscriptions",
                count,
                day=long_date(day),
            ),
        )
        for day, count in points
    ]
    busiest_day, busiest = max(points, key=lambda point: point[1])
    description = _(
        "Du %(first)s au %(last)s : %(total)d inscriptions, au plus %(most)d le %(day)s.",
        first=long_date(points[0][0]),
        last=long_date(points[-1][0]),
        total=sum(count for _day, count in points),
        most=busiest,
        day=long_date(busiest_day),
    )
    return bar_chart(bars, chart_id=chart_id, title=title, description=description)


def overview() -> dict:
    """Return the main dashboard: every event's figures, the days, the organisations."""
    upcoming, past = queries.staff_events()
    figures = queries.figures(upcoming + past)
    covered = queries.dashboard_event_ids(upcoming)
    per_day = queries.registrations_per_day(covered, DEFAULT_ZONE)
    return {
        "upcoming": [(event, figures[event.id]) for event in upcoming],
        "past": [(event, figures[event.id]) for event in past],
        "totals": queries.total([figures[event_id] for event_id in covered]),
        "per_day": per_day,
        "chart": _chart(per_day, "chart-all", _("Inscriptions par jour, réunions à venir")),
        "organisations": queries.top_organisations(covered),
    }


def event_overview(event: Event) -> dict:
    """Return one event's dashboard."""
    per_day = queries.registrations_per_day([event.id], event.tz)
    return {
        "figures": queries.figures([event])[event.id],
        "per_day": per_day,
        "chart": _chart(per_day, "chart-event", _("Inscriptions par jour")),
        "organisations": queries.top_organisations([event.id]),
    }
