"""What a person joining a line is told (their place, a link to confirm it and one to leave),
and the signed links themselves: unguessable, tied to one entry."""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.booking.links import sign, signed_row
from app.booking.notifications import public_url
from app.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from app.mail.outbox import enqueue
from app.templating import local_date
from app.waitlist.models import WaitlistEntry

CONFIRM = "wizyta-waitlist-confirm"
LEAVE = "wizyta-waitlist-leave"


def entry_token(entry: WaitlistEntry, purpose: str) -> str:
    return sign(entry.id, entry.key, purpose)


def entry_for_token(token: str, purpose: str) -> WaitlistEntry | None:
    """The entry a link was made for, or None if it is forged or the entry is gone."""
    return signed_row(WaitlistEntry, token, purpose, lambda entry: entry.key)


def joined(entry: WaitlistEntry) -> None:
    """The e-mail whose link puts the entry in line (its address proves to be theirs)."""
    language = entry.language if entry.language in LANGUAGE_NAMES else DEFAULT_LANGUAGE
    with force_locale(language):
        context = {
            "entry": entry,
            "language": language,
            "hold_minutes": current_app.config["HOLD_MINUTES"],
            "confirm_url": public_url(
                "waitlist.confirm", token=entry_token(entry, CONFIRM), lang=language
            ),
            "leave_url": public_url(
                "waitlist.leave", token=entry_token(entry, LEAVE), lang=language
            ),
        }
        message = enqueue(
            "waitlist_joined",
            entry.email,
            _("Confirm your place on the waitlist for %(day)s", day=local_date(entry.day)),
            render_template("email/waitlist_joined.txt", **context),
            render_template("email/waitlist_joined.html", **context),
        )
    entry.message_id = message.message_id
