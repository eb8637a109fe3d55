"""Record staff and administrator actions in the audit log (in the caller's transaction)."""

import copy

from flask_login import current_user

from app.accounts.models import AuditEntry
from app.extensions import db


def record(action: str, target: str, before: dict | None = None, after: dict | None = None):
    """Add an audit entry for the logged-in user; the caller commits it with the change."""
    user = current_user if current_user and current_user.is_authenticated else None
    entry = AuditEntry(
        user_id=user.id if user else None,
        actor=user.email if user else "system",
        action=action,
        target=target,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


JSON_VALUES = int | float | bool | dict | list | None


def snapshot(entity, names: list[str]) -> dict:
    """The named attributes as JSON-friendly values, for before/after in the log. A copy: the
    model's own dicts and lists may change after it is taken."""
    return {
        name: copy.deepcopy(value) if isinstance(value, JSON_VALUES) else str(value)
        for name in names
        for value in [getattr(entity, name)]
    }
