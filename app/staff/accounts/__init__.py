"""Staff accounts, for admins: create, change role or switch off, reset a password."""
