"""Signed links in e-mails: unguessable, tied to one visit, and dead once its data is erased."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.booking.models import Visit
from app.extensions import db

VERIFY = "wizyta-verify"
MANAGE = "wizyta-manage"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make_token(visit: Visit, purpose: str) -> str:
    return _serializer(purpose).dumps([visit.id, visit.manage_key])


def visit_for_token(token: str, purpose: str, max_age: int | None = None) -> Visit | None:
    """The visit a token was made for, or None if it is forged, expired or revoked."""
    try:
        visit_id, key = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    visit = db.session.get(Visit, visit_id) if isinstance(visit_id, int) else None
    if visit is None or visit.manage_key is None or visit.manage_key != key:
        return None
    return visit
