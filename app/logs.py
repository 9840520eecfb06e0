"""Logs as JSON lines, each line of a request carrying the request's id.

Every process (gunicorn workers, the mail worker, the CLI) writes one JSON object a line
to standard error: time, level, logger, message, process, the request id when there is a
request, and any `extra` fields. The request id comes from the `X-Request-ID` header when
it looks like one (a balancer's, so that its log and ours meet), or is made here; the
response echoes it. Each request ends with one line saying its route (the rule, never the
path: paths carry ticket codes and management secrets), status and duration.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
#: What we accept from a client or balancer: short, and nothing that could forge a log field.
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@+=-]{1,128}$")
#: Attributes every LogRecord has: anything else on a record came through `extra=`.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}

log = logging.getLogger(__name__)


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being served, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class StderrHandler(logging.StreamHandler):
    """Write to whatever `sys.stderr` is at the time (a test's capture, or the process's)."""

    def __init__(self, level=logging.NOTSET):
        logging.Handler.__init__(self, level)  # no stream of its own: see `stream`

    @property
    def stream(self):
        return sys.stderr


#: One handler per process, on the root logger, whatever the number of apps created.
handler = StderrHandler()
handler.setFormatter(JsonFormatter())
handler.addFilter(RequestIdFilter())


def current_request_id() -> str | None:
    """Return the id of the request being served, or None outside a request."""
    return g.get("request_id") if has_request_context() else None


def request_id_from(value: str | None) -> str:
    """Return the id a request came with if it is sane, else a new one."""
    if value and SANE_REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


def init_app(app) -> None:
    """Send every logger's records to standard error as JSON lines; give requests an id."""
    root = logging.getLogger()
    if handler not in root.handlers:
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL") or "INFO")
    app.logger.removeHandler(default_handler)  # the root's handler writes Flask's lines too

    @app.before_request
    def start_request() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_started = time.perf_counter()

    @app.after_request
    def end_request(response):
        request_id = g.get("request_id")
        if request_id is None:  # a request that failed before `start_request` ran
            return response
        response.headers[REQUEST_ID_HEADER] = request_id
        log.info(
            "%s %s %s",
            request.method,
            request.url_rule.rule if request.url_rule else "(no route)",
            response.status_code,
            extra={
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
            },
        )
        return response
