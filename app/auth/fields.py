"""Who sees which of a registrant's details: the role × field table, for pages and JSON alike.

| field | checkin (door) | viewer | organiser | admin |
| --- | :-: | :-: | :-: | :-: |
| id (opaque), names, organisation, status, check-in time | ✔ | ✔ | ✔ | ✔ |
| e-mail, job title, code, reference, place in line, registered at, who let in | | ✔ | ✔ | ✔ |
| phone, accessibility needs | | | ✔ | ✔ |
| management secret (only in the registrant's own e-mails) | | | | |

The door is always served the door's fields, whoever holds the phone: least privilege per
job, not per person.
Viewers and above also see `conflict`: two phones let the ticket in (the door offline).
"""

from app.models import StaffRole

DOOR_FIELDS = frozenset(
    {"id", "given_name", "family_name", "organisation", "status", "checked_in_at"}
)
VIEWER_FIELDS = DOOR_FIELDS | {
    "email",
    "job_title",
    "code",
    "reference",
    "waitlist_position",
    "registered_at",
    "checked_in_by",
    "conflict",
}
ORGANISER_FIELDS = VIEWER_FIELDS | {"phone", "accessibility_needs"}

ROLE_FIELDS: dict[str, frozenset[str]] = {
    StaffRole.CHECKIN: DOOR_FIELDS,
    StaffRole.VIEWER: VIEWER_FIELDS,
    StaffRole.ORGANISER: ORGANISER_FIELDS,
    StaffRole.ADMIN: ORGANISER_FIELDS,
}
#: Every field a page or an answer may show of a registrant.
ALL_FIELDS = ORGANISER_FIELDS


def visible_fields(user) -> frozenset[str]:
    """Return the registrant fields this staff member may see (none if not logged in)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    return ROLE_FIELDS.get(user.role, frozenset())
