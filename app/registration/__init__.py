"""Registration: the form, the register service and the ticket page."""
