"""GET /metrics for Prometheus, closed to the public: a bearer token or a 404."""

import hmac

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
    body = exposition(read_figures())
    response = Response(body, mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def authorised(header: str, token: str | None) -> bool:
    """Whether the Authorization header carries the configured token (constant time)."""
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
