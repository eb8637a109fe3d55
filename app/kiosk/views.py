"""The kiosk's pages: the keypad, what the visitor is told after typing a code, and the set-up
link. No login: the kiosk is known by its cookie (``devices``), and it only checks visits in
at its own place, on the day, by their code."""

import math
from dataclasses import dataclass

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm
from limits import parse
from sqlalchemy import select

from app.booking import operations
from app.booking.models import Visit
from app.booking.rules import BookingRefused, Problem
from app.booking.schedule import day_bounds, office_day, office_timezone
from app.booking.states import HOLDS_DESK, Channel, VisitStatus
from app.database import utcnow
from app.extensions import db
from app.kiosk.devices import COOKIE, kiosk_of_link, pair, remember_device, this_kiosk
from app.kiosk.forms import CheckInForm
from app.kiosk.models import Kiosk
from app.shared_counts import SharedCount
from app.templating import local_time

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

S = VisitStatus
# Tries a kiosk has in a row: each code takes one before it is looked up (parallel tries
# cannot slip past), a check-in gives them back (a code typed again does not: a visitor who
# checked in cannot make room for more guesses). Keyed by the kiosk, not an address: every
# kiosk of a place may share one.
TRIES = SharedCount(
    "kiosk-tries", lambda: parse(current_app.config["KIOSK_WRONG_CODE_LIMIT"]), moving=True
)


@bp.after_request
def keep_out_of_caches(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class Answer:
    """What the kiosk tells the visitor after a code: a message, and the HTTP status."""

    message: str
    status: int


def not_set_up():
    return render_template("kiosk/not_set_up.html"), 403


@bp.get("/pair/<token>")
def set_up(token: str):
    """What the link sets up, with a button that does it: a program that opens links to look
    at them (a mail scanner, a preview) must not use it up."""
    kiosk = kiosk_of_link(token, utcnow())
    if kiosk is None:
        return render_template("kiosk/not_set_up.html", link_used=True), 404
    return render_template("kiosk/set_up.html", place=kiosk.location, form=FlaskForm())


@bp.post("/pair/<token>")
def pair_device(token: str):
    device_token = pair(token, utcnow()) if FlaskForm().validate_on_submit() else None
    if device_token is None:
        return render_template("kiosk/not_set_up.html", link_used=True), 404
    db.session.commit()
    response = redirect(url_for("kiosk.keypad", lang="pl"), 303)
    remember_device(response, device_token)
    return response


@bp.get("/")
def keypad():
    kiosk = this_kiosk()
    if kiosk is None:
        return not_set_up()
    page, status = render_keypad(kiosk, CheckInForm(formdata=None))
    response = make_response(page, status)
    remember_device(response, request.cookies[COOKIE])  # kept as long as the kiosk is in use
    return response


def render_keypad(kiosk: Kiosk, form: CheckInForm, answer: Answer | None = None):
    page = render_template("kiosk/keypad.html", kiosk=kiosk, form=form, answer=answer)
    return page, answer.status if answer else 200


@bp.post("/")
def check_in():
    kiosk = this_kiosk()
    if kiosk is None:
        return not_set_up()
    form = CheckInForm()
    if not form.validate_on_submit():
        return render_keypad(kiosk, form, Answer(form.code.errors[0], 400))
    if not TRIES.take(str(kiosk.id)):
        minutes = math.ceil(TRIES.seconds_until_free(str(kiosk.id)) / 60)
        message = ngettext(
            "Too many codes could not be checked in. Please wait %(num)d minute and try again, "
            "or ask at the information desk.",
            "Too many codes could not be checked in. Please wait %(num)d minutes and try again, "
            "or ask at the information desk.",
            minutes,
        )
        return render_keypad(kiosk, CheckInForm(formdata=None), Answer(message, 429))
    now = utcnow()
    found = visits_with_code(kiosk, form.code.data, now)
    if len(found) != 1:  # none, or (very seldom) two visits share the code today
        message = _(
            "There is no visit with this code here today. Please check the code in your "
            "confirmation, or ask at the information desk."
        )
        return render_keypad(kiosk, CheckInForm(formdata=None), Answer(message, 404))
    (visit,) = found
    actor = operations.Actor(f"kiosk {kiosk.id}: {kiosk.name}", Channel.KIOSK)
    try:
        operations.check_in(visit, actor, now)
    except BookingRefused as refused:
        db.session.rollback()
        if refused.status is S.ARRIVED:  # typed again: the number once more
            return render_template("kiosk/checked_in.html", kiosk=kiosk, visit=visit, again=True)
        answer = Answer(refusal_message(visit, refused), 409)
        return render_keypad(kiosk, CheckInForm(formdata=None), answer)
    kiosk.last_check_in_at = now
    db.session.commit()
    TRIES.forget(str(kiosk.id))
    return render_template("kiosk/checked_in.html", kiosk=kiosk, visit=visit, again=False)


def visits_with_code(kiosk: Kiosk, code: str, now) -> list[Visit]:
    """The visits of today at the kiosk's place with this code (of those still holding their
    desk: a code a cancelled visit had does not stand in the way)."""
    start, end = day_bounds(office_day(now), office_day(now), office_timezone())
    return list(
        db.session.scalars(
            select(Visit).where(
                Visit.location_id == kiosk.location_id,
                Visit.starts_at >= start,
                Visit.starts_at < end,
                Visit.check_in_code == code,
                Visit.status.in_(HOLDS_DESK),
            )
        )
    )


def refusal_message(visit: Visit, refused: BookingRefused) -> str:
    problems = {problem for found in refused.problems.values() for problem in found}
    time = local_time(visit.starts_at)
    if Problem.CHECK_IN_NOT_YET in problems:
        opens = local_time(operations.mark_opens(visit, S.ARRIVED))
        return _(
            "Your visit is at %(time)s. Check-in opens at %(opens)s: please come back then.",
            time=time,
            opens=opens,
        )
    if Problem.CHECK_IN_OVER in problems:
        return _(
            "The time to check in for your visit at %(time)s has passed. Please ask at the "
            "information desk.",
            time=time,
        )
    if refused.status in (S.HELD, S.REQUESTED):
        return _("Your visit is not confirmed yet. Please ask at the information desk.")
    return _("This visit can no longer be checked in. Please ask at the information desk.")
