"""The JSON API: scanners and other tools, by bearer token or staff session."""
