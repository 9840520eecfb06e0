"""The role table: which permissions each staff role holds."""

import enum

from app.models import StaffRole


class Permission(enum.StrEnum):
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_EVENTS = "manage_events"
    VIEW = "view"
    EXPORT = "export"
    #: Exports with phone numbers and accessibility needs (not only what the desk needs).
    EXPORT_PERSONAL = "export_personal"
    CHECKIN = "checkin"
    VIEW_AUDIT = "view_audit"


#: What each role may do. Door staff see the door only (Indico PR #7306).
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    StaffRole.ADMIN: frozenset(Permission),
    StaffRole.ORGANISER: frozenset(
        {
            Permission.MANAGE_EVENTS,
            Permission.VIEW,
            Permission.EXPORT,
            Permission.EXPORT_PERSONAL,
            Permission.CHECKIN,
        }
    ),
    StaffRole.VIEWER: frozenset({Permission.VIEW, Permission.EXPORT}),
    StaffRole.CHECKIN: frozenset({Permission.CHECKIN}),
}


def has_permission(user, permission: Permission) -> bool:
    """Tell whether an active, logged-in staff user holds a permission."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())
