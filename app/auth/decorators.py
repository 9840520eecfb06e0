"""The view guards: log in first, then hold the permissions the route needs."""

from collections.abc import Callable
from functools import wraps

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import Permission, has_permission
from app.errors import error_page
from app.extensions import login_manager
from app.models import StaffUser


def acting_user() -> StaffUser:
    """Return the logged-in account itself (not Flask-Login's proxy), to hand to a service."""
    return current_user._get_current_object()


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def requires(*permissions: Permission) -> Callable:
    """Guard a view: log in first (302, or 401 JSON under /api/), then hold every permission.

    A logged-in user without a permission gets 403 (an error page, or JSON under
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

        return guarded

    return decorator


def forbidden():
    """Answer 403: JSON under /api/, the error page elsewhere."""
    message = _("Votre compte ne donne pas accès à cette page.")
    if _is_api_request():
        return jsonify({"status": "forbidden", "error": message}), 403
    return error_page(403, message)
