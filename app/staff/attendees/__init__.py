"""An event's attendees for staff: the list, a person's page and history, special cases."""
