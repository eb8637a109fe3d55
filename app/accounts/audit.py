"""Record staff and administrator actions in the audit log (in the caller's transaction)."""

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


def changed_values(entity, names: list[str]) -> dict:
    """The named attributes as JSON-friendly values, for before/after snapshots."""
    values = {}
    for name in names:
        value = getattr(entity, name)
        values[name] = (
            value if isinstance(value, int | float | bool | dict | list | None) else str(value)
        )
    return values
