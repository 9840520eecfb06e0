"""Who may do what: permissions, the role table, and the view decorator that enforces them.

Other packages (the door, exports, the JSON API) import `Permission` and `requires`
from here, so that every staff route is guarded by the same table.
"""

import enum
from collections.abc import Callable
from functools import wraps

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import login_manager
from app.models import StaffRole, StaffUser


class Permission(enum.StrEnum):
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_EVENTS = "manage_events"
    VIEW = "view"
    EXPORT = "export"
    CHECKIN = "checkin"
    VIEW_AUDIT = "view_audit"


ADMIN = StaffRole.ADMIN
ORGANISER = StaffRole.ORGANISER
VIEWER = StaffRole.VIEWER
CHECKIN = StaffRole.CHECKIN
#: Every role, most powerful first.
ROLES = (ADMIN, ORGANISER, VIEWER, CHECKIN)

#: The role table: what each role may do. Door staff see the door only (Indico PR #7306).
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    ADMIN: frozenset(Permission),
    ORGANISER: frozenset(
        {Permission.MANAGE_EVENTS, Permission.VIEW, Permission.EXPORT, Permission.CHECKIN}
    ),
    VIEWER: frozenset({Permission.VIEW, Permission.EXPORT}),
    CHECKIN: frozenset({Permission.CHECKIN}),
}


def has_permission(user, permission: Permission) -> bool:
    """Tell whether an active, logged-in staff user holds a permission."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not getattr(user, "is_active", False):
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def acting_user() -> StaffUser:
    """Return the logged-in account itself (not Flask-Login's proxy), to hand to a service."""
    return current_user._get_current_object()


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def requires(*permissions: Permission) -> Callable:
    """Guard a view: log in first (302, or 401 JSON under /api/), then hold every permission.

    A logged-in user without a permission gets 403 (a French page, or JSON under
    /api/). With no permission given, any active staff account may enter.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                if _is_api_request():
                    body = {"status": "unauthorized", "error": _("Authentification requise.")}
                    return jsonify(body), 401
                return login_manager.unauthorized()
            if not all(has_permission(current_user, p) for p in permissions):
                return forbidden()
            return view(*args, **kwargs)

        guarded.required_permissions = frozenset(permissions)
        return guarded

    return decorator


def forbidden():
    """Answer 403: JSON under /api/, the French error page elsewhere."""
    message = _("Votre compte ne donne pas accès à cette page.")
    if _is_api_request():
        return jsonify({"status": "forbidden", "error": message}), 403
    page = render_template(
        "errors/error.html", status=403, title=_("Accès refusé"), message=message
    )
    return page, 403
