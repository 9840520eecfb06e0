"""Who is calling the API: a bearer token, or a staff session with its CSRF header."""

from collections.abc import Callable
from functools import wraps

from flask import g, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

from app.api import tokens
from app.auth import Permission, has_permission


def error(status: int, code: str, message: str, **extra):
    return jsonify({"status": code, "error": message, **extra}), status


def event_not_found(not_found):
    """The API's answer to an unknown event (each API blueprint registers it)."""
    return error(404, not_found.code, _("Réunion inconnue."))


def device() -> str:
    """The scanning device, as recorded with a scan: its `X-Device` label and its browser."""
    label = request.headers.get("X-Device", "")[:80]
    return f"{label} {request.user_agent.string[:110]}".strip()


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.response = error(status, code, message)


def _identify():
    """Return (user, token) of the caller; raise Refused if there is none."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        found = tokens.authenticate(header[len("Bearer ") :].strip())
        if found is None:
            raise Refused(401, "unauthorized", _("Jeton invalide ou révoqué."))
        return found
    if current_user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            # A session is a cookie the browser sends anywhere: ask for the CSRF token too.
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except (ValidationError, CSRFError):
                raise Refused(400, "csrf", _("En-tête X-CSRFToken manquant ou invalide.")) from None
        return current_user._get_current_object(), None
    raise Refused(401, "unauthorized", _("Authentification requise."))


def api_requires(permission: Permission) -> Callable:
    """Guard an API view: a valid caller (token or session) holding `permission`."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            try:
                user, token = _identify()
            except Refused as refused:
                return refused.response
            if not has_permission(user, permission):
                return error(403, "forbidden", _("Votre compte ne donne pas accès à cette action."))
            g.api_user, g.api_token = user, token
            return view(*args, **kwargs)

        return guarded

    return decorator
