"""Signed links in e-mails: unguessable, tied to one visit (or a waitlist's entry) by its id and
random key, and dead once that key is gone."""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.booking.models import Visit
from app.extensions import db

VERIFY = "wizyta-verify"
MANAGE = "wizyta-manage"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def sign(row_id: int, key: str, purpose: str) -> str:
    return _serializer(purpose).dumps([row_id, key])


def signed_row(model, token: str, purpose: str, key_of, max_age: int | None = None):
    """The row of ``model`` a token was made for, or None if it is forged, expired or revoked
    (``key_of(row)`` no longer the key it was signed with)."""
    try:
        row_id, key = _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    row = db.session.get(model, row_id) if isinstance(row_id, int) else None
    if row is None or key_of(row) is None or key_of(row) != key:
        return None
    return row


def make_token(visit: Visit, purpose: str) -> str:
    return sign(visit.id, visit.manage_key, purpose)


def visit_for_token(token: str, purpose: str, max_age: int | None = None) -> Visit | None:
    """The visit a token was made for, or None if it is forged, expired or revoked."""
    return signed_row(Visit, token, purpose, lambda visit: visit.manage_key, max_age)
