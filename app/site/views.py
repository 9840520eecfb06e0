"""Pages that belong to no event: the privacy notice and the health check."""

from flask import Blueprint, current_app, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("site", __name__)


@bp.get("/confidentialite")
def privacy():
    return render_template("site/privacy.html", retention_days=current_app.config["RETENTION_DAYS"])


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
