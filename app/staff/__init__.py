"""Staff back office: accounts, roles and (for now) the login and a dashboard."""
