"""An event's staff pages: create, edit, duplicate, publish, cancel, and its figures."""
