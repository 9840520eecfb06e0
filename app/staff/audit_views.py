"""The audit log, for admins: who did what, when, on which record; by event and by person."""

from flask import Blueprint, render_template, request

from app.staff import audit, services
from app.staff.auth import Permission, requires
from app.staff.dashboard import DEFAULT_ZONE
from app.staff.events import list_events

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _choice(name: str, allowed: set[int]) -> int | None:
    value = request.args.get(name, type=int)
    return value if value in allowed else None


@bp.get("")
@requires(Permission.VIEW_AUDIT)
def index():
    events = list_events()
    users = services.list_users()
    event_id = _choice("event", {event.id for event in events})
    actor_id = _choice("actor", {user.id for user in users})
    page_number = min(max(request.args.get("page", 1, type=int), 1), 100_000)
    page = audit.entries(event_id=event_id, actor_id=actor_id, page=page_number)
    return render_template(
        "staff/audit/index.html",
        page=page,
        events=events,
        users=users,
        event_id=event_id,
        actor_id=actor_id,
        actions=audit.ACTIONS,
        tz=DEFAULT_ZONE,
    )
