"""Tickets: codes, and later their QR rendering."""
