"""The staff blueprint; every route behind it needs a staff or administrator account."""

from flask import Blueprint

from app.accounts.access import roles_required
from app.accounts.models import Role
from app.staff.agenda import attention_count, waiting_count
from app.staff.scope import my_units
from app.staff.texts import ACTION_LABELS, ACTOR_NAMES, ATTENTION_TEXTS, STATUS_LABELS

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.before_request
@roles_required(Role.STAFF, Role.ADMIN)
def staff_only():
    """Anonymous users go to the login page, other roles get 403, on every route of the area;
    each route then checks the unit of what it shows or changes (``app.staff.scope``)."""
    return None


@bp.context_processor
def staff_texts() -> dict:
    return {
        "staff_status": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "actor_names": ACTOR_NAMES,
        "attention_texts": ATTENTION_TEXTS,
        "attention_count": lambda: attention_count([unit.id for unit in my_units()]),
        "waiting_count": lambda: waiting_count([unit.id for unit in my_units()]),
    }


@bp.after_request
def keep_out_of_caches(response):
    """The office's pages carry personal data: no browser or proxy keeps a copy."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response
