"""What a person in line is told on joining (their place, and a link to leave), and the signed
link itself: unguessable, tied to one entry."""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from app.booking.notifications import public_url
from app.extensions import db
from app.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from app.mail.outbox import enqueue
from app.templating import local_date
from app.waitlist.models import WaitlistEntry

LEAVE = "wizyta-waitlist-leave"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LEAVE)


def leave_token(entry: WaitlistEntry) -> str:
    return _serializer().dumps([entry.id, entry.key])


def entry_for_token(token: str) -> WaitlistEntry | None:
    """The entry a link was made for, or None if it is forged or the entry is gone."""
    try:
        entry_id, key = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    entry = db.session.get(WaitlistEntry, entry_id) if isinstance(entry_id, int) else None
    return entry if entry is not None and entry.key == key else None


def joined(entry: WaitlistEntry, position: int) -> None:
    language = entry.language if entry.language in LANGUAGE_NAMES else DEFAULT_LANGUAGE
    with force_locale(language):
        context = {
            "entry": entry,
            "language": language,
            "position": position,
            "hold_minutes": current_app.config["HOLD_MINUTES"],
            "leave_url": public_url("waitlist.leave", token=leave_token(entry), lang=language),
        }
        enqueue(
            "waitlist_joined",
            entry.email,
            _("You are on the waitlist for %(day)s", day=local_date(entry.day)),
            render_template("email/waitlist_joined.txt", **context),
            render_template("email/waitlist_joined.html", **context),
        )
