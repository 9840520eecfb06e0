"""The VTIMEZONE: Outlook's shape (a yearly rule per observance), changes at the right instants."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from app.calendar.timezones import vtimezone
from tests.calendar.objects import invite
from tests.calendar.parsers import PARSERS, read

H = timedelta(hours=1)

#: Summer time in Paris: last Sunday of March and of October, 01:00 UTC.
PARIS_CHANGES = {
    2026: [
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), 1 * H, 2 * H),
        (datetime(2026, 10, 25, 1, 0, tzinfo=UTC), 2 * H, 1 * H),
    ],
    2027: [
        (datetime(2027, 3, 28, 1, 0, tzinfo=UTC), 1 * H, 2 * H),
        (datetime(2027, 10, 31, 1, 0, tzinfo=UTC), 2 * H, 1 * H),
    ],
}


def calendar_with(zone_name: str, year: int, last_year: int | None = None) -> bytes:
    """Wrap one VTIMEZONE in a calendar with an event that uses it."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Accueil tests//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(vtimezone(zone_name, year, last_year))
    event = icalendar.Event()
    event.add("uid", "probe@accueil.example")
    event.add("dtstamp", datetime(2026, 1, 1, tzinfo=UTC))
    event.add("dtstart", datetime(year, 6, 1, 12, 0, tzinfo=ZoneInfo(zone_name)))
    event.add("dtend", datetime(year, 6, 1, 13, 0, tzinfo=ZoneInfo(zone_name)))
    for name in ("summary", "location", "url"):
        event.add(name, "x")
    calendar.add_component(event)
    return calendar.to_ical()


def expand(observance, years) -> list[tuple[datetime, timedelta, timedelta]]:
    """Expand an observance's RRULE with dateutil: its onsets in UTC within `years`."""
    start = observance["DTSTART"].dt
    before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
    rule = rrulestr(observance["RRULE"].to_ical().decode(), dtstart=start)
    onsets = rule.between(datetime(min(years), 1, 1), datetime(max(years) + 1, 1, 1))
    return [((onset - before).replace(tzinfo=UTC), before, after) for onset in onsets]


def zoneinfo_changes(zone_name: str, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """The reference: the changes of the system's zone database, hour by hour then by minute."""
    zone = ZoneInfo(zone_name)
    found, moment = [], datetime(year, 1, 1, tzinfo=UTC)
    while moment.year == year:
        before, after = (
            moment.astimezone(zone).utcoffset(),
            (moment + H).astimezone(zone).utcoffset(),
        )
        if before != after:
            exact = next(
                moment + timedelta(minutes=m)
                for m in range(1, 61)
                if (moment + timedelta(minutes=m)).astimezone(zone).utcoffset() == after
            )
            found.append((exact, before, after))
        moment += H
    return found


def test_paris_is_written_as_outlook_writes_it():
    component = vtimezone("Europe/Paris", 2026)
    assert component.to_ical().decode().split("\r\n") == [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:CET",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "",
    ]


def test_the_invite_carries_the_rule_based_zone_and_no_rdate():
    data = invite()
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    assert vtimezone("Europe/Paris", 2026).to_ical() in data
    assert b"RDATE" not in data


def test_rrules_expanded_by_dateutil_change_at_01h_utc_on_the_last_sundays():
    calendar = icalendar.Calendar.from_ical(invite())
    [component] = calendar.timezones
    [standard], [daylight] = component.standard, component.daylight
    onsets = sorted(expand(standard, [2026, 2027]) + expand(daylight, [2026, 2027]))
    assert onsets == PARIS_CHANGES[2026] + PARIS_CHANGES[2027]
    for onset, _before, _after in onsets:
        assert onset.weekday() == 6  # a Sunday
        assert (onset + timedelta(days=7)).month != onset.month  # the last one of its month


@pytest.mark.parametrize("parser", PARSERS)
def test_each_parser_finds_the_changes_at_01h_utc_on_the_last_sundays(parser):
    parsed = read(parser, invite(), years=(2026, 2027))
    assert parsed.changes["Europe/Paris"] == PARIS_CHANGES


@pytest.mark.parametrize("parser", PARSERS)
def test_each_parser_places_wall_times_around_the_changes(parser):
    walls = {
        # Last second of winter time, first second of summer time.
        datetime(2026, 3, 29, 1, 59, 59): datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),
        datetime(2026, 3, 29, 3, 0, 0): datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 3, 0, 0): datetime(2027, 3, 28, 1, 0, 0, tzinfo=UTC),
        # Either side of the repeated hour in autumn.
        datetime(2026, 10, 25, 1, 59, 59): datetime(2026, 10, 24, 23, 59, 59, tzinfo=UTC),
        datetime(2026, 10, 25, 3, 0, 0): datetime(2026, 10, 25, 2, 0, 0, tzinfo=UTC),
        datetime(2027, 10, 31, 3, 0, 0): datetime(2027, 10, 31, 2, 0, 0, tzinfo=UTC),
    }
    parsed = read(parser, invite(), walls=walls)
    assert parsed.utc["Europe/Paris"] == walls


@pytest.mark.parametrize("parser", PARSERS)
def test_parsers_really_read_the_vtimezone(parser):
    """A spring change written an hour late (icalendar's own VTIMEZONE bug) is seen as such."""
    wrong = invite().replace(b"DTSTART:19700329T020000", b"DTSTART:19700329T030000")
    parsed = read(parser, wrong, years=(2026,))
    assert parsed.changes["Europe/Paris"][2026][0][0] == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)
    shifted = invite().replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+0300")
    [event] = read(parser, shifted).events
    assert event.start == datetime(2026, 4, 16, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone_name", "standard_rule", "daylight_rule"),
    [
        ("America/New_York", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11", "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3"),
        ("Australia/Sydney", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10"),
        ("Europe/London", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
    ],
)
def test_weekday_rules_of_other_zones(zone_name, standard_rule, daylight_rule):
    component = vtimezone(zone_name, 2026)
    [standard], [daylight] = component.standard, component.daylight
    assert standard["RRULE"].to_ical().decode() == standard_rule
    assert daylight["RRULE"].to_ical().decode() == daylight_rule


def test_a_zone_without_summer_time_has_one_standard_observance():
    component = vtimezone("Asia/Tokyo", 2026)
    assert component.daylight == []
    [standard] = component.standard
    assert standard["TZOFFSETFROM"].td == standard["TZOFFSETTO"].td == 9 * H
    assert "RRULE" not in standard


def test_a_zone_that_follows_no_weekday_rule_gets_each_change():
    """Morocco leaves +01 during Ramadan, whose dates follow the moon."""
    component = vtimezone("Africa/Casablanca", 2026)
    assert all("RRULE" not in observance for observance in component.subcomponents)
    starts = [observance["DTSTART"].dt for observance in component.subcomponents]
    assert datetime(2026, 2, 15, 3, 0) in starts
    assert datetime(2026, 3, 22, 2, 0) in starts


ZONES = [
    "Europe/Paris",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Santiago",
    "Australia/Sydney",
    "Pacific/Chatham",
    "Asia/Jerusalem",
    "Africa/Casablanca",
    "Asia/Tokyo",
    "Indian/Reunion",
    "America/Martinique",
    "Pacific/Noumea",
]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("zone_name", ZONES)
def test_each_parser_agrees_with_zoneinfo_in_many_zones(parser, zone_name):
    parsed = read(parser, calendar_with(zone_name, 2026, 2027), years=(2026, 2027))
    assert parsed.changes[zone_name] == {
        2026: zoneinfo_changes(zone_name, 2026),
        2027: zoneinfo_changes(zone_name, 2027),
    }
    [event] = parsed.events
    assert event.start == datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo(zone_name))
