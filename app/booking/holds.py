"""Desks held for requests not yet confirmed by e-mail, capped per client address.

Each request made online holds a desk for ``HOLD_MINUTES`` until its e-mail link is opened. One
person has one active visit a matter and a few in all (``app.booking.rules``), however they
spell their address; this cap stops one machine posting under many addresses: it makes at most
``HOLDS_PER_SOURCE`` requests within any hold time, so it never keeps more desks waiting than
that. The count is shared by every worker (``app.shared_counts``).
"""

from flask import current_app
from flask_babel import ngettext
from limits import RateLimitItemPerMinute
from werkzeug.exceptions import TooManyRequests

from app.shared_counts import SharedCount

HOLDS = SharedCount(
    "unverified-holds",
    lambda: RateLimitItemPerMinute(
        current_app.config["HOLDS_PER_SOURCE"], current_app.config["HOLD_MINUTES"]
    ),
    moving=True,  # within *any* hold time: never more desks waiting than the cap
)


class TooManyHolds(TooManyRequests):
    """Answered as any 429 (``app.errors``): ``Retry-After``, the visitor's language, JSON
    under /api."""

    @staticmethod
    def wait_message(minutes: int) -> str:
        return ngettext(
            "Many requests sent from your connection are waiting to be confirmed by e-mail. "
            "Please confirm them with the links in those e-mails, or wait %(num)d minute and "
            "try again.",
            "Many requests sent from your connection are waiting to be confirmed by e-mail. "
            "Please confirm them with the links in those e-mails, or wait %(num)d minutes and "
            "try again.",
            minutes,
        )


def take_hold(source: str) -> None:
    """Count a new request from ``source``, or refuse it (nothing counted) past the cap."""
    if not HOLDS.take(source):
        raise TooManyHolds(retry_after=HOLDS.seconds_until_free(source))
