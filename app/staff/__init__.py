"""Staff back office: accounts and roles, events and their attendees, dashboards, audit log.

`auth` holds the permission table and the `requires` decorator other packages import.
"""
