"""Why a registration is refused: domain errors with a stable `code` for the views."""

from app.errors import DomainError, NotFound
from app.events.services import RegistrationState


class RegistrationRefused(DomainError):
    """The event does not take registrations now; `code` says why (full, closed...)."""

    def __init__(self, state: RegistrationState):
        super().__init__(state.value, state=state)
        self.code = state.value
        self.state = state


class AlreadyRegistered(DomainError):
    """This address holds an active registration to the event."""

    code = "already_registered"


class EmailDomainNotAllowed(DomainError):
    code = "email_domain_not_allowed"

    def __init__(self, domains: list[str]):
        super().__init__(self.code, domains=domains)
        self.domains = domains


class OrganisationLimitReached(DomainError):
    code = "organisation_limit_reached"

    def __init__(self, limit: int):
        super().__init__(self.code, limit=limit)
        self.limit = limit


class NoSeatLeft(DomainError):
    """Every seat is taken: going beyond the capacity needs a reason."""

    code = "no_seat_left"


class ReasonRequired(DomainError):
    code = "reason_required"


class NotAllowed(DomainError):
    """The staff member's role may not go beyond the capacity."""

    code = "not_allowed"


class TicketNotFound(NotFound):
    code = "ticket_not_found"


class RegistrationNotFound(NotFound):
    code = "registration_not_found"


class RegistrationCancelled(DomainError):
    code = "registration_cancelled"


class EventStarted(DomainError):
    """The meeting has begun: its registrants no longer cancel, and nobody is promoted."""

    code = "event_started"


class ResendTooSoon(DomainError):
    """The ticket was sent again a few minutes ago: not again yet."""

    code = "resend_too_soon"
