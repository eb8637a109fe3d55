"""The citizen's booking form and the page that follows it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from app.booking import bots, checks, operations
from app.booking.forms import BookingForm, visitor_of
from app.booking.messages import show_refusal
from app.booking.models import Visit, VisitStatus
from app.booking.rules import BookingRefused
from app.booking.schedule import office_timezone
from app.booking.slot_codec import parse_start
from app.database import utcnow
from app.extensions import db, limiter
from app.i18n import LANGUAGE_NAMES
from app.matters.queries import matter_or_404
from app.security import booking_rate_limit

bp = Blueprint("booking", __name__)

# The per-person rules are about the e-mail that identifies the person; an interpreter's notice
# is told at its own field.
FORM_FIELDS = {"person": "email", "sign_language": "sign_language"}


@bp.route("/matters/<slug>/book", methods=["GET", "POST"])
@limiter.limit(booking_rate_limit, methods=["POST"])
def book(slug: str):
    matter = matter_or_404(slug)
    if not matter.is_bookable_online:
        abort(404)
    form = BookingForm(request.form if request.method == "POST" else request.args)
    back = url_for("matters.matter", slug=slug, location=form.location.data)
    start = parse_start(form.start.data or "", office_timezone())
    if start is None:
        flash(_("Choose a location, a day and a time first."), "error")
        return redirect(back)
    location_slug = form.location.data or ""
    if request.method == "GET":
        if str(get_locale()) in LANGUAGE_NAMES:
            form.language.data = str(get_locale())  # e-mails in the language the page is read in
        problems = checks.slot_problems(matter, location_slug, start, utcnow())
        if problems:
            show_refusal(BookingRefused(problems), matter)
            return redirect(back)
    elif bots.looks_automated(form.website.data, form.shown_at.data):
        # A person who gets here (a form kept open for a day) sends it again.
        flash(_("Please check your details and send the request again."), "error")
    elif form.validate():
        visitor = visitor_of(form)
        citizen = operations.Actor.citizen_at(get_remote_address())
        try:
            visit = operations.book(matter, location_slug, start, visitor, citizen, utcnow())
        except BookingRefused as refused:
            db.session.rollback()
            show_refusal(refused, matter, form, FORM_FIELDS)
            if not form.errors:  # the time itself is wrong: choose another
                return redirect(back, 303)
        else:
            db.session.commit()
            session["held_reference"] = visit.reference
            return redirect(url_for("booking.held"), 303)
    location = matter.location(location_slug)
    if location is None:
        return redirect(back)
    status = 422 if request.method == "POST" else 200
    form.shown_at.data = bots.shown_at_token()
    return render_template(
        "booking/form.html", matter=matter, location=location, start=start, form=form
    ), status


def sent_visit() -> Visit | None:
    """The request this browser just sent (its reference is kept in the session)."""
    reference = session.get("held_reference")
    return reference and db.session.scalar(select(Visit).where(Visit.reference == reference))


@bp.get("/booking/sent")
def held():
    """What happens next: the reference, the address the e-mail went to, until when the time
    is held, and a button to have the e-mail sent again."""
    visit = sent_visit()
    if not visit:
        return redirect(url_for("matters.index"))
    return render_template(
        "booking/held.html",
        visit=visit,
        hold_ends_at=operations.hold_ends_at(visit),
        waiting=visit.status is VisitStatus.HELD and not operations.hold_is_over(visit, utcnow()),
    )


@bp.post("/booking/sent/again")
@limiter.limit(booking_rate_limit)
def send_again():
    visit = sent_visit()
    if not visit:
        return redirect(url_for("matters.index"))
    if operations.resend_verification(visit, utcnow()):
        db.session.commit()
        flash(_("We have sent the e-mail again."), "success")
    else:
        db.session.rollback()
        flash(
            _(
                "The e-mail cannot be sent again now: it goes at most three times, a minute "
                "apart, while the time is held."
            ),
            "error",
        )
    return redirect(url_for("booking.held"), 303)
