"""The door's forms."""

from app.registration.forms import ApplicantForm


class WalkInForm(ApplicantForm):
    """Someone who turns up without a ticket, registered by door staff."""
