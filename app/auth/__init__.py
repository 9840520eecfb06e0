"""Who may do what: the role × permission table, the view guards, the login wiring.

`init_app` wires Flask-Login (called from `create_app`); other packages import
`Permission`, `requires` and `has_permission` from here.
"""

from app.auth.decorators import acting_user, forbidden, requires
from app.auth.fields import DOOR_FIELDS, visible_fields
from app.auth.permissions import ROLE_PERMISSIONS, Permission, has_permission
from app.auth.sessions import load_user
from app.extensions import login_manager

__all__ = [
    "DOOR_FIELDS",
    "ROLE_PERMISSIONS",
    "Permission",
    "acting_user",
    "forbidden",
    "has_permission",
    "init_app",
    "requires",
    "visible_fields",
]


def init_app(app) -> None:
    """Bind Flask-Login: staff log in at /staff/login; sessions load their account."""
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)
