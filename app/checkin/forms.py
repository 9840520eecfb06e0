from app.registration.forms import RegistrationForm


class WalkInForm(RegistrationForm):
    """The registration form, filled by door staff: no consent box, no replay key."""

    consent = None
    submission_key = None
