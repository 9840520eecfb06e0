"""Readiness: can this node serve (database, Redis) and is its worker alive (/readyz)."""

import redis
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.worker import heartbeat


def readiness() -> dict[str, str]:
    """Return each part's state: "ok", "not configured", or what is wrong."""
    parts = {"database": _database(), "redis": _redis(), "worker": "unknown"}
    if parts["database"] == "ok":
        parts["worker"] = _worker()
    return parts


def ready(parts: dict[str, str]) -> bool:
    return all(state in ("ok", "not configured") for state in parts.values())


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable"
    return "ok"


def _redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return "unreachable"
    return "ok"


def _worker() -> str:
    try:
        return "ok" if heartbeat.alive() else "no heartbeat"
    except SQLAlchemyError:
        db.session.rollback()
        return "unknown"
