"""Links from e-mails: confirm a request, see, cancel or move a visit. No account needed.

Every link opens a page; only the button on it (a POST) changes anything, because mail
scanners open links. A token reveals the one visit it was made for.
"""

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.booking import office
from app.booking.desks import SlotTaken
from app.booking.lifecycle import change_status
from app.booking.links import MANAGE, VERIFY, visit_for_token
from app.booking.messages import problem_message, problem_messages
from app.booking.models import Visit, VisitStatus
from app.booking.moves import move_visit
from app.booking.office import is_movable
from app.booking.requests import RequestRefused, parse_start
from app.booking.rules import Problem
from app.booking.schedule import matter_free_slots, office_timezone
from app.database import utcnow
from app.extensions import db
from app.mail.messages import send_confirmation

bp = Blueprint("manage", __name__, url_prefix="/visits")

CITIZEN = "citizen"


def link_invalid():
    return render_template("manage/link_invalid.html"), 404


def hold_is_over(visit: Visit) -> bool:
    hold = timedelta(minutes=current_app.config["HOLD_MINUTES"])
    return visit.created_at + hold <= utcnow()


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    visit = visit_for_token(token, VERIFY)
    if visit is None:
        return link_invalid()
    expired = visit.status is VisitStatus.EXPIRED
    if expired or (visit.status is VisitStatus.HELD and hold_is_over(visit)):
        return render_template("manage/verify.html", visit=visit, expired=True), 410
    if request.method == "POST" and visit.status is VisitStatus.HELD:
        change_status(visit, VisitStatus.REQUESTED, actor=CITIZEN)
        db.session.commit()
    return render_template("manage/verify.html", visit=visit, expired=False)


@bp.get("/manage/<token>")
def show(token: str):
    visit = visit_for_token(token, MANAGE)
    if visit is None:
        return link_invalid()
    return render_template("manage/show.html", visit=visit, token=token)


def changeable(token: str):
    """The visit behind a manage link, if it can still be changed; else the page to show."""
    visit = visit_for_token(token, MANAGE)
    if visit is None:
        return None, link_invalid()
    if not is_movable(visit, utcnow()):
        flash(_("This visit can no longer be changed."), "error")
        return None, redirect(url_for("manage.show", token=token), 303)
    return visit, None


@bp.route("/manage/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    visit, refusal = changeable(token)
    if refusal:
        return refusal
    if request.method == "POST":
        office.cancel(visit, reason="", actor=CITIZEN)
        db.session.commit()
        flash(_("Your visit is cancelled. We have sent you a confirmation."), "success")
        return redirect(url_for("manage.show", token=token), 303)
    return render_template("manage/cancel.html", visit=visit, token=token)


@bp.route("/manage/<token>/move", methods=["GET", "POST"])
def move(token: str):
    visit, refusal = changeable(token)
    if refusal:
        return refusal
    matter = visit.matter
    if request.method == "POST":
        location, _sep, start_text = request.form.get("slot", "").partition("|")
        start = parse_start(start_text, office_timezone())
        try:
            if start is None:
                raise RequestRefused({"start": [Problem.OUTSIDE_HOURS]})
            move_visit(visit, location, start, actor=CITIZEN, now=utcnow())
        except RequestRefused as refused:
            db.session.rollback()
            for messages in problem_messages(refused.problems, matter).values():
                for message in messages:
                    flash(message, "error")
        except SlotTaken:
            db.session.rollback()
            flash(problem_message(Problem.SLOT_TAKEN, matter), "error")
        else:
            if visit.status is VisitStatus.CONFIRMED:
                send_confirmation(visit, changed=True)
            db.session.commit()
            flash(_("Your visit has been moved."), "success")
            return redirect(url_for("manage.show", token=token), 303)
    timezone = office_timezone()
    days: dict = {}
    for location, slot in matter_free_slots(matter, matter.locations, utcnow()):
        days.setdefault(slot.start.astimezone(timezone).date(), []).append((location, slot))
    return render_template("manage/move.html", visit=visit, token=token, days=days)
