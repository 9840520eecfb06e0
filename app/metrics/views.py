"""GET /metrics for Prometheus, closed to the public: a bearer token or a 404."""

import hmac
import importlib

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from app.metrics.exposition import exposition
from app.metrics.queries import read_figures

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics():
    token = current_app.config["METRICS_TOKEN"]
    if not authorised(request.headers.get("Authorization", ""), token):
        abort(404)  # the same answer as any unknown address: nothing says it exists
    body = exposition(read_figures(), worker_heartbeat_age())
    response = Response(body, mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def authorised(header: str, token: str | None) -> bool:
    """Whether the Authorization header carries the configured token (constant time)."""
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def worker_heartbeat_age() -> float | None:
    """Seconds since the mail worker's last heartbeat, None if none (or no heartbeat yet)."""
    # MERGE(issue-15-W): becomes `from app.worker import heartbeat` once the worker's package
    # is in this branch; until then the gauge is simply absent.
    try:
        heartbeat = importlib.import_module("app.worker.heartbeat")
    except ImportError:
        return None
    return heartbeat.age()
