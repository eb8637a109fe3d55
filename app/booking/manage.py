"""Links from e-mails: confirm a request, see, cancel or move a visit. No account needed.

Every link opens a page; only the button on it (a POST) changes anything, because mail
scanners open links. A token reveals the one visit it was made for.
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.booking import calendar, operations
from app.booking.links import MANAGE, VERIFY, visit_for_token
from app.booking.messages import show_refusal
from app.booking.models import Visit, VisitStatus
from app.booking.notifications import event_for, mail_language, manage_url
from app.booking.picker import move_step
from app.booking.rules import BookingRefused, Problem
from app.booking.schedule import office_timezone
from app.booking.slot_codec import parse_slot
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db

bp = Blueprint("manage", __name__, url_prefix="/visits")


def link_invalid():
    return render_template("manage/link_invalid.html"), 404


def verify_page(visit: Visit, expired: bool):
    """The page behind the e-mail's link; a waitlist's offer is worded as one."""
    page = render_template(
        "manage/verify.html",
        visit=visit,
        expired=expired,
        offered=operations.offered_from_waitlist(visit),
        hold_ends_at=operations.hold_ends_at(visit),
    )
    return page, 410 if expired else 200


def expired(visit: Visit):
    return verify_page(visit, expired=True)


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    visit = visit_for_token(token, VERIFY)
    if visit is None:
        return link_invalid()
    now = utcnow()
    if request.method == "POST":
        try:
            operations.verify(visit, now)
        except BookingRefused as refused:
            db.session.rollback()
            if Problem.HOLD_OVER in refused.problems["visit"]:
                return expired(visit)
        else:
            db.session.commit()
    lapsed = visit.status is VisitStatus.HELD and operations.hold_is_over(visit, now)
    if visit.status is VisitStatus.EXPIRED or lapsed:
        return expired(visit)
    return verify_page(visit, expired=False)


@bp.get("/manage/<token>/visit.ics")
def calendar_file(token: str):
    """The visit's calendar event to add by hand, as its e-mails carry it."""
    visit = visit_for_token(token, MANAGE)
    if visit is None or not operations.has_calendar_event(visit):  # a CANCEL can withdraw it
        return link_invalid()
    status = calendar.CONFIRMED if visit.status is VisitStatus.CONFIRMED else calendar.TENTATIVE
    _method, ics = event_for(visit, status, mail_language(visit), manage_url(visit))
    return Response(
        ics,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{visit.reference}.ics"'},
    )


@bp.get("/manage/<token>")
def show(token: str):
    visit = visit_for_token(token, MANAGE)
    if visit is None:
        return link_invalid()
    return render_template(
        "manage/show.html",
        visit=visit,
        token=token,
        changeable=operations.is_ahead(visit, utcnow()),
        has_event=operations.has_calendar_event(visit),
    )


def changeable(token: str):
    """The visit behind a manage link, if it can still be changed; else the page to show."""
    visit = visit_for_token(token, MANAGE)
    if visit is None:
        return None, link_invalid()
    if not operations.is_ahead(visit, utcnow()):
        flash(_("This visit can no longer be changed."), "error")
        return None, redirect(url_for("manage.show", token=token), 303)
    return visit, None


@bp.route("/manage/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    visit, refusal = changeable(token)
    if refusal:
        return refusal
    if request.method == "POST":
        try:
            operations.cancel(visit, operations.CITIZEN, "", utcnow())
        except BookingRefused as refused:
            db.session.rollback()
            show_refusal(refused, visit.matter)
        else:
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
    back_to_unit = operations.returns_to_unit(visit, operations.CITIZEN)
    status = 200
    if request.method == "POST":
        chosen = parse_slot(request.form.get("slot"), office_timezone())
        try:
            if chosen is None:
                raise BookingRefused({"start": [Problem.OUTSIDE_HOURS]})
            operations.move(visit, *chosen, operations.CITIZEN, utcnow())
        except BookingRefused as refused:
            db.session.rollback()
            show_refusal(refused, matter)
            status = 409 if refused.is_conflict else 422
        else:
            db.session.commit()
            if back_to_unit:
                flash(
                    _(
                        "Your visit has been moved. The unit will confirm the new time; "
                        "we will write to you."
                    ),
                    "success",
                )
            else:
                flash(_("Your visit has been moved."), "success")
            return redirect(url_for("manage.show", token=token), 303)
    step = move_step(visit, utcnow(), Channel.ONLINE)
    if step.problems:
        show_refusal(BookingRefused(step.problems), matter)
        status = 422
    return render_template(
        "manage/move.html", visit=visit, token=token, step=step, back_to_unit=back_to_unit
    ), status
