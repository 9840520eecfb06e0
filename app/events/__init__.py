"""Public pages of events, and the event domain."""
