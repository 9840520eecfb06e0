"""The audit log's page, for admins: who did what, when, on which record; by event and person.

Registered under the staff blueprint, so its endpoint is `staff.audit.index`.
"""

from flask import Blueprint, render_template, request

from app.audit import queries
from app.audit.description import DEFAULT_ZONE, headline
from app.auth import Permission, requires

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _choice(name: str, allowed: set[int]) -> int | None:
    value = request.args.get(name, type=int)
    return value if value in allowed else None


@bp.get("")
@requires(Permission.VIEW_AUDIT)
def index():
    events, users = queries.event_choices(), queries.actor_choices()
    event_id = _choice("event", {event.id for event in events})
    actor_id = _choice("actor", {user.id for user in users})
    page_number = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    return render_template(
        "staff/audit/index.html",
        page=queries.entries(event_id=event_id, actor_id=actor_id, page=page_number),
        events=events,
        users=users,
        event_id=event_id,
        actor_id=actor_id,
        headline=headline,
        tz=DEFAULT_ZONE,
    )
