"""Staff back office: the shell (login, dashboard) and one sub-package per job:
accounts, events, attendees, dashboard. Permissions live in app.auth, the log in app.audit."""
