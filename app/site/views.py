"""Pages that belong to no event: the legal pages (privacy notice, legal notice, accessibility
statement), the language switch, the health and readiness checks."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.auth.accounts import remember_locale
from app.extensions import db
from app.i18n import LOCALE_COOKIE, LOCALES
from app.site import services
from app.urls import local_path

bp = Blueprint("site", __name__)

#: The language switch's cookie lasts a year.
LOCALE_COOKIE_AGE = 365 * 24 * 3600


@bp.get("/confidentialite")
def privacy():
    return render_template("site/privacy.html", retention_days=current_app.config["RETENTION_DAYS"])


@bp.get("/mentions-legales")
def legal_notice():
    return render_template("site/legal_notice.html")


@bp.get("/accessibilite")
def accessibility():
    return render_template("site/accessibility.html", base_url=current_app.config["BASE_URL"])


@bp.get("/langue/<locale>")
def switch_language(locale: str):
    """Show the site in another language (FR/EN switch); staff keep it on their account."""
    if locale not in LOCALES:
        locale = LOCALES[0]
    response = redirect(local_path(request.args.get("next")) or url_for("events.index"), 303)
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=LOCALE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    if current_user.is_authenticated:
        remember_locale(current_user, locale)
    return response


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/readyz")
def readyz():
    """Readiness: the database, Redis (if configured) and this node's worker's heartbeat."""
    parts = services.readiness()
    return parts, 200 if services.ready(parts) else 503
