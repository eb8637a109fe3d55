"""Who may open which office page: checked on the server for every staff route."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.accounts.models import Role


def roles_required(*roles: Role):
    """Anonymous users go to the login page; logged-in users without the role get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_unit(unit_id: int) -> None:
    """Staff act only on their own units' visits and closures; administrators on all."""
    if not current_user.has_unit(unit_id):
        abort(403)
