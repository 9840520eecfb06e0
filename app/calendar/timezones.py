"""VTIMEZONE components written the way Outlook writes them: a yearly rule per observance.

icalendar's `add_missing_timezones()` writes each transition as a long RDATE list and places the
spring change an hour late, so Thunderbird (ical.js) reads a 14:00 Paris invite as 13:00Z. Here the
transitions are read from zoneinfo around the event's years and written as one DAYLIGHT and one
STANDARD observance, each with an RRULE such as FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU, which every
client expands. A zone without daylight saving gets one STANDARD observance, and a zone whose
changes follow no weekday rule gets one observance per actual change.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

#: The year the observances start from, as Outlook and most generators write them.
RULE_START_YEAR = 1970

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    """A change of UTC offset: the instant it happens and the offsets before and after."""

    at: datetime
    before: timedelta
    after: timedelta
    name: str

    @property
    def wall(self) -> datetime:
        """Return the local wall time of the change, in the offset in force before it."""
        return (self.at + self.before).replace(tzinfo=None)


@dataclass(frozen=True)
class _Rule:
    """The nth (or last, nth=-1) weekday of a month, at a wall-clock time."""

    month: int
    weekday: int
    nth: int
    time: timedelta

    def wall(self, year: int) -> datetime:
        day = _nth_weekday(year, self.month, self.weekday, self.nth)
        return datetime(day.year, day.month, day.day) + self.time

    def rrule(self) -> dict:
        return {
            "freq": "YEARLY",
            "bymonth": self.month,
            "byday": f"{self.nth}{_WEEKDAYS[self.weekday]}",
        }


@lru_cache(maxsize=256)
def changes(zone: ZoneInfo, year: int) -> tuple[Change, ...]:
    """Return the offset changes of a zone during one year (UTC), in order."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    found = []
    for day in range((datetime(year + 1, 1, 1, tzinfo=UTC) - start).days):
        low, high = start + timedelta(days=day), start + timedelta(days=day + 1)
        if _offset(zone, low) != _offset(zone, high):
            found.append(_find_change(zone, low, high))
    return tuple(found)


def vtimezone(zone_name: str, year: int, last_year: int | None = None) -> Timezone:
    """Return the VTIMEZONE of an IANA zone, exact for instants from `year` to `last_year`."""
    zone = ZoneInfo(zone_name)
    last_year = year if last_year is None else last_year
    component = Timezone()
    component.add("tzid", zone_name)
    spanned = [change for y in range(year, last_year + 1) for change in changes(zone, y)]
    if not spanned:
        component.add_component(_fixed(zone, year))
        return component
    rules = _yearly_rules(zone, year, last_year)
    if rules is None:
        # No weekday rule holds around these years: write each change of them (and of the
        # year before, which sets the offset in force on 1 January) as its own observance.
        # A move forward starts DAYLIGHT, whatever tzdata calls it: Morocco's +00 during
        # Ramadan is "daylight saving" there, and dateutil misplaces a DAYLIGHT that goes back.
        for change in (*changes(zone, year - 1), *spanned):
            kind = TimezoneDaylight if change.after > change.before else TimezoneStandard
            component.add_component(_observance(kind, change, change.wall))
        return component
    for kind, (change, rule) in zip((TimezoneStandard, TimezoneDaylight), rules, strict=True):
        observance = _observance(kind, change, rule.wall(RULE_START_YEAR))
        observance.add("rrule", rule.rrule())
        component.add_component(observance)
    return component


def _yearly_rules(zone: ZoneInfo, year: int, last_year: int) -> list[tuple[Change, _Rule]] | None:
    """Return the standard and daylight changes with the weekday rules that they follow.

    The rules must give every change from the year before `year` to the year after `last_year`,
    so that a zone whose rules change soon gets its exact changes rather than a yearly rule.
    """
    pair = changes(zone, year)
    years = range(year - 1, last_year + 2)
    if len(pair) != 2 or any(len(changes(zone, y)) != 2 for y in years):
        return None
    found = []
    for change in sorted(pair, key=lambda change: change.after):
        rules = [
            rule
            for rule in _candidate_rules(change)
            if all(_follows(zone, y, change, rule) for y in years)
        ]
        if not rules:
            return None
        found.append((change, rules[0]))
    return found


def _follows(zone: ZoneInfo, year: int, change: Change, rule: _Rule) -> bool:
    """Tell whether the zone changes to the same offset in `year` exactly as the rule says."""
    same_kind = [
        c for c in changes(zone, year) if (c.before, c.after) == (change.before, change.after)
    ]
    return [c.wall for c in same_kind] == [rule.wall(year)]


def _candidate_rules(change: Change) -> list[_Rule]:
    wall = change.wall
    time = wall - datetime(wall.year, wall.month, wall.day)
    nth = (wall.day - 1) // 7 + 1
    rules = [_Rule(wall.month, wall.weekday(), nth, time)]
    if wall.day + 7 > _days_in_month(wall.year, wall.month):
        # The last such weekday of the month: prefer -1, as Outlook does (last Sunday of March).
        rules.insert(0, _Rule(wall.month, wall.weekday(), -1, time))
    return rules


def _observance(kind: type, change: Change, start: datetime):
    observance = kind()
    observance.add("dtstart", start)
    observance.add("tzoffsetfrom", change.before)
    observance.add("tzoffsetto", change.after)
    observance.add("tzname", change.name)
    return observance


def _fixed(zone: ZoneInfo, year: int) -> TimezoneStandard:
    moment = datetime(year, 1, 1, tzinfo=UTC).astimezone(zone)
    offset = moment.utcoffset()
    return _observance(
        TimezoneStandard,
        Change(moment, offset, offset, moment.tzname()),
        datetime(RULE_START_YEAR, 1, 1),
    )


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset()


def _find_change(zone: ZoneInfo, low: datetime, high: datetime) -> Change:
    """Return the change between two instants a day apart, to the second."""
    before = _offset(zone, low)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _offset(zone, middle) == before:
            low = middle
        else:
            high = middle
    local = high.astimezone(zone)
    return Change(high, before, local.utcoffset(), local.tzname())


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """Return the nth weekday (0 = Monday) of a month; nth = -1 for the last one."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year, month, _days_in_month(year, month))
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day
