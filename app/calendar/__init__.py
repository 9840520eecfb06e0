"""iCalendar building: personal invites and their cancellations, public events and feeds.

Pure functions of model objects (or any object with the same attributes) that return bytes;
see `app.calendar.ical` for the builders and `app.calendar.timezones` for the VTIMEZONE.
"""
