// Read an .ics file with Mozilla's ical.js (Thunderbird's parser) and print what it understood
// as JSON, for tests/calendar.
//   node read.mjs '{"years": [2026], "locals": ["2026-03-29T01:59:59", ...]}' < FILE.ics
// Event instants are computed from the file's own VTIMEZONE (ical.js looks the TZID up in the
// component tree). For each VTIMEZONE it prints the UTC instant that ical.js gives each local
// wall time of "locals", and the offset changes it expands for "years".
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [query = "{}"] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const { years = [], locals = [] } = JSON.parse(query);

const iso = (time) => new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");

function address(property) {
  if (!property) return null;
  const params = {};
  for (const name of ["cn", "partstat", "rsvp", "role", "cutype"]) {
    const value = property.getParameter(name);
    if (value !== undefined && value !== null) params[name] = String(value);
  }
  return { value: property.getFirstValue(), params };
}

function instant(vevent, name) {
  const time = vevent.getFirstPropertyValue(name);
  return {
    utc: iso(time),
    tzid: time.zone ? time.zone.tzid : null,
    // True only when the zone comes from a VTIMEZONE of this file.
    from_file: Boolean(time.zone && time.zone.component),
  };
}

const events = root.getAllSubcomponents("vevent").map((vevent) => ({
  uid: vevent.getFirstPropertyValue("uid"),
  sequence: vevent.getFirstPropertyValue("sequence"),
  status: vevent.getFirstPropertyValue("status"),
  summary: vevent.getFirstPropertyValue("summary"),
  location: vevent.getFirstPropertyValue("location"),
  description: vevent.getFirstPropertyValue("description"),
  url: vevent.getFirstPropertyValue("url"),
  geo: vevent.getFirstPropertyValue("geo"),
  start: instant(vevent, "dtstart"),
  end: instant(vevent, "dtend"),
  organizer: address(vevent.getFirstProperty("organizer")),
  attendees: vevent.getAllProperties("attendee").map(address),
  alarms: vevent.getAllSubcomponents("valarm").map((alarm) => ({
    action: alarm.getFirstPropertyValue("action"),
    trigger: alarm.getFirstPropertyValue("trigger").toString(),
  })),
}));

function changesIn(zone, year) {
  // `changes` and `_ensureCoverage` are ical.js internals (pinned in package-lock.json): the
  // expanded observances, in UTC. The public conversion UTC -> zone cannot show them, as it
  // reads the offset at the UTC wall time and so moves every change by the offset.
  zone._ensureCoverage(year + 1);
  return zone.changes
    .filter((change) => change.year === year)
    .map((change) => ({
      utc: iso(
        new ICAL.Time(
          {
            year: change.year,
            month: change.month,
            day: change.day,
            hour: change.hour,
            minute: change.minute,
            second: change.second,
          },
          ICAL.Timezone.utcTimezone,
        ),
      ),
      from: change.prevUtcOffset,
      to: change.utcOffset,
    }));
}

const timezones = {};
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  const zone = new ICAL.Timezone(vtimezone);
  timezones[zone.tzid] = {
    locals: Object.fromEntries(
      // A floating time put into a zone keeps its wall clock, as a DTSTART;TZID= value does.
      locals.map((wall) => [wall, iso(ICAL.Time.fromDateTimeString(wall).convertToZone(zone))]),
    ),
    changes: Object.fromEntries(years.map((year) => [year, changesIn(zone, year)])),
  };
}

console.log(
  JSON.stringify({
    method: root.getFirstPropertyValue("method"),
    name: root.getFirstPropertyValue("x-wr-calname"),
    events,
    timezones,
  }),
);
