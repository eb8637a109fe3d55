"""What a visitor is told about arriving, in the e-mails, on the manage page and by the
infoline: type the check-in code at the kiosk where the place has one, else give the reference
at the entrance; and when a visit not checked in counts as missed."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from app.booking.models import Visit
from app.booking.operations import misses_counted_at
from app.booking.states import STANDING
from app.kiosk.models import kiosks_since


def checks_in_at_kiosk(visit: Visit) -> bool:
    """A visit still to come (its code is of no use after) at a place with a kiosk."""
    standing = visit.status in STANDING and visit.check_in_code is not None
    return standing and visit.location_id in kiosks_since()


def spaced_code(code: str) -> str:
    """``482913`` → ``482 913``: read and typed in two halves."""
    return f"{code[:3]} {code[3:]}"


def arrival_text(visit: Visit) -> str:
    if not checks_in_at_kiosk(visit):
        return _("Please come a few minutes early and give your reference at the entrance.")
    text = _(
        "Please come a few minutes early and type your check-in code at the kiosk by the "
        "entrance; it takes the code from %(minutes)d minutes before your time.",
        minutes=current_app.config["CHECK_IN_OPENS_MINUTES"],
    )
    missed_after = visit.location.no_show_after_minutes
    if misses_counted_at(visit.location):
        text += " " + ngettext(
            "A visit not checked in within %(num)d minute of its start counts as missed.",
            "A visit not checked in within %(num)d minutes of its start counts as missed.",
            missed_after,
        )
    return text
