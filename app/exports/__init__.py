"""Attendee exports: the streaming query, and the CSV, XLSX and PDF builders it feeds.

`services.attendee_rows(event, status)` yields plain `rows.AttendeeRow` objects, ordered by
name; the builders (`csv`, `xlsx`, `pdf`) take any iterable of such rows and return or yield
bytes, so they are tested without a database.
"""
