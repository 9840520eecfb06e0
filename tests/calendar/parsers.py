"""Read an .ics with three independent parsers and say what each understood, in one shape.

- icalendar: the library that writes our files; its own expansion of the VTIMEZONE
  (`Timezone.get_transitions`) and, for instants, the zone built from the file's VTIMEZONE.
- vobject: another Python parser, whose VTIMEZONE becomes a dateutil `tzical` zone.
- ical.js: Mozilla's parser, the one in Thunderbird, run by node (tests/calendar/icaljs).

Every instant comes from the file's own VTIMEZONE, never from the system's zone database.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

ICALJS_DIR = Path(__file__).parent / "icaljs"
ICALJS_INSTALL = "npm ci --prefix tests/calendar/icaljs"
PARSERS = ("icalendar", "vobject", "icaljs")

#: An offset change as a parser sees it: UTC instant, offset before, offset after.
Change = tuple[datetime, timedelta, timedelta]


@dataclass
class Address:
    value: str
    params: dict[str, str]


@dataclass
class ParsedEvent:
    uid: str
    sequence: int | None
    status: str | None
    summary: str
    location: str
    description: str | None
    url: str
    geo: tuple[float, float] | None
    start: datetime
    end: datetime
    organizer: Address | None
    attendees: list[Address]
    alarms: list[tuple[str, timedelta]]


@dataclass
class Parsed:
    method: str
    name: str | None
    events: list[ParsedEvent]
    #: tzid -> year -> the offset changes of that year, in order.
    changes: dict[str, dict[int, list[Change]]] = field(default_factory=dict)
    #: tzid -> local wall time -> the UTC instant the parser gives it in that zone.
    utc: dict[str, dict[datetime, datetime]] = field(default_factory=dict)


def read(parser: str, data: bytes, *, years=(), walls=()) -> Parsed:
    """Parse with one parser; expand the VTIMEZONEs for `years` and place the local `walls`."""
    return {"icalendar": _icalendar, "vobject": _vobject, "icaljs": _icaljs}[parser](
        data, tuple(years), tuple(walls)
    )


def _icalendar(data: bytes, years, walls) -> Parsed:
    calendar = icalendar.Calendar.from_ical(data)
    zones = {vtz.tz_name: vtz.to_tz(lookup_tzid=False) for vtz in calendar.timezones}

    def instant(prop) -> datetime:
        wall = prop.dt.replace(tzinfo=None)
        return wall.replace(tzinfo=zones[prop.params["TZID"]]).astimezone(UTC)

    def address(prop) -> Address:
        return Address(str(prop), {key.lower(): str(value) for key, value in prop.params.items()})

    def listed(value) -> list:
        return [] if value is None else value if isinstance(value, list) else [value]

    events = []
    for vevent in calendar.events:
        geo = vevent.get("GEO")
        events.append(
            ParsedEvent(
                uid=str(vevent["UID"]),
                sequence=vevent.get("SEQUENCE"),
                status=_text(vevent.get("STATUS")),
                summary=str(vevent["SUMMARY"]),
                location=str(vevent["LOCATION"]),
                description=_text(vevent.get("DESCRIPTION")),
                url=str(vevent["URL"]),
                geo=None if geo is None else (geo.latitude, geo.longitude),
                start=instant(vevent["DTSTART"]),
                end=instant(vevent["DTEND"]),
                organizer=address(vevent["ORGANIZER"]) if "ORGANIZER" in vevent else None,
                attendees=[address(prop) for prop in listed(vevent.get("ATTENDEE"))],
                alarms=[
                    (str(alarm["ACTION"]), alarm["TRIGGER"].dt)
                    for alarm in vevent.subcomponents
                    if alarm.name == "VALARM"
                ],
            )
        )
    parsed = Parsed(str(calendar["METHOD"]), _text(calendar.get("X-WR-CALNAME")), events)
    for vtz in calendar.timezones:
        times, infos = vtz.get_transitions()
        offsets = [info[0] for info in infos]
        found = [
            (time.replace(tzinfo=UTC), offsets[i - 1], offsets[i])
            for i, time in enumerate(times)
            if i > 0
        ]
        parsed.changes[vtz.tz_name] = {
            year: [change for change in found if change[0].year == year] for year in years
        }
        zone = zones[vtz.tz_name]
        parsed.utc[vtz.tz_name] = {
            wall: wall.replace(tzinfo=zone).astimezone(UTC) for wall in walls
        }
    return parsed


def _vobject(data: bytes, years, walls) -> Parsed:
    calendar = vobject.readOne(data.decode("utf-8"))
    # vobject keeps the first zone it ever saw for a TZID in a global registry, so the wall
    # times are placed in a zone built from this very file's VTIMEZONE.
    zones = {vtz.tzid.value: vtz.gettzinfo() for vtz in calendar.contents.get("vtimezone", [])}

    def instant(line) -> datetime:
        # Once it has made the value a datetime, vobject keeps the TZID under another name.
        [tzid] = line.params.get("TZID") or line.params["X-VOBJ-ORIGINAL-TZID"]
        wall = line.value.replace(tzinfo=None)
        return wall.replace(tzinfo=zones[tzid]).astimezone(UTC)

    def address(line) -> Address:
        return Address(line.value, {key.lower(): values[0] for key, values in line.params.items()})

    def value(vevent, name):
        lines = vevent.contents.get(name)
        return lines[0].value if lines else None

    events = []
    for vevent in calendar.contents.get("vevent", []):
        geo = value(vevent, "geo")
        sequence = value(vevent, "sequence")
        events.append(
            ParsedEvent(
                uid=vevent.uid.value,
                sequence=None if sequence is None else int(sequence),
                status=value(vevent, "status"),
                summary=vevent.summary.value,
                location=vevent.location.value,
                description=value(vevent, "description"),
                url=vevent.url.value,
                geo=None if geo is None else tuple(float(part) for part in geo.split(";")),
                start=instant(vevent.dtstart),
                end=instant(vevent.dtend),
                organizer=address(vevent.organizer) if "organizer" in vevent.contents else None,
                attendees=[address(line) for line in vevent.contents.get("attendee", [])],
                alarms=[
                    (alarm.action.value, alarm.trigger.value)
                    for alarm in vevent.contents.get("valarm", [])
                ],
            )
        )
    name = calendar.contents.get("x-wr-calname")
    parsed = Parsed(calendar.method.value, name[0].value if name else None, events)
    for tzid, zone in zones.items():
        parsed.changes[tzid] = {year: _scan(zone, year) for year in years}
        parsed.utc[tzid] = {wall: wall.replace(tzinfo=zone).astimezone(UTC) for wall in walls}
    return parsed


def _icaljs(data: bytes, years, walls) -> Parsed:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the ical.js (Thunderbird) checks need it")
    if not (ICALJS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.fail(f"ical.js is not installed: run `{ICALJS_INSTALL}`")
    query = {"years": list(years), "locals": [wall.isoformat() for wall in walls]}
    result = subprocess.run(
        [node, "read.mjs", json.dumps(query)],
        cwd=ICALJS_DIR,
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    raw = json.loads(result.stdout)

    def instant(text: str) -> datetime:
        return datetime.fromisoformat(text)

    def address(item) -> Address | None:
        return None if item is None else Address(item["value"], item["params"])

    events = [
        ParsedEvent(
            uid=item["uid"],
            sequence=item["sequence"],
            status=item["status"],
            summary=item["summary"],
            location=item["location"],
            description=item["description"],
            url=item["url"],
            geo=None if item["geo"] is None else tuple(item["geo"]),
            # A zone that ical.js did not find in the file would silently be "floating".
            start=instant(item["start"]["utc"]) if item["start"]["from_file"] else None,
            end=instant(item["end"]["utc"]) if item["end"]["from_file"] else None,
            organizer=address(item["organizer"]),
            attendees=[address(attendee) for attendee in item["attendees"]],
            alarms=[
                (alarm["action"], icalendar.vDuration.from_ical(alarm["trigger"]))
                for alarm in item["alarms"]
            ],
        )
        for item in raw["events"]
    ]
    parsed = Parsed(raw["method"], raw["name"], events)
    for tzid, zone in raw["timezones"].items():
        parsed.changes[tzid] = {
            int(year): [
                (instant(c["utc"]), timedelta(seconds=c["from"]), timedelta(seconds=c["to"]))
                for c in found
            ]
            for year, found in zone["changes"].items()
        }
        parsed.utc[tzid] = {
            datetime.fromisoformat(wall): instant(utc) for wall, utc in zone["locals"].items()
        }
    return parsed


def _text(value) -> str | None:
    return None if value is None else str(value)


def _scan(zone, year: int) -> list[Change]:
    """Find the offset changes of a tzinfo in a year: a daily scan, then a bisection."""

    def offset(moment: datetime) -> timedelta:
        return moment.astimezone(zone).utcoffset()

    start = datetime(year, 1, 1, tzinfo=UTC)
    found = []
    for day in range(366 if (datetime(year, 12, 31).timetuple().tm_yday == 366) else 365):
        low, high = start + timedelta(days=day), start + timedelta(days=day + 1)
        before, after = offset(low), offset(high)
        if before == after:
            continue
        while high - low > timedelta(seconds=1):
            middle = (low + (high - low) / 2).replace(microsecond=0)
            low, high = (middle, high) if offset(middle) == before else (low, middle)
        found.append((high, before, after))
    return found
