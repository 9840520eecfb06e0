"""The door: check-in service, door screen and scanner API."""
