"""The citizen's booking form and the page that follows it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.booking.desks import SlotTaken
from app.booking.forms import BookingForm
from app.booking.messages import problem_message, problem_messages
from app.booking.models import Visit
from app.booking.requests import RequestRefused, Visitor, parse_start, request_visit, slot_problems
from app.booking.rules import Problem
from app.booking.schedule import office_timezone
from app.database import utcnow
from app.extensions import db, limiter
from app.i18n import LANGUAGE_NAMES
from app.matters.views import matter_or_404
from app.security import booking_rate_limit

bp = Blueprint("booking", __name__)


@bp.route("/matters/<slug>/book", methods=["GET", "POST"])
@limiter.limit(booking_rate_limit, methods=["POST"])
def book(slug: str):
    matter = matter_or_404(slug)
    if not matter.is_bookable_online:
        abort(404)
    form = BookingForm(request.form if request.method == "POST" else request.args)
    if request.method == "GET" and str(get_locale()) in LANGUAGE_NAMES:
        form.language.data = str(get_locale())  # e-mails in the language the page is read in
    location = matter.location(form.location.data or "")
    start = parse_start(form.start.data or "", office_timezone())
    if start is None:
        flash(_("Choose a location, a day and a time first."), "error")
        return redirect(url_for("matters.matter", slug=slug, location=form.location.data))
    problems = slot_problems(matter, location, start, utcnow())
    if problems:
        for messages in problem_messages(problems, matter).values():
            for message in messages:
                flash(message, "error")
        return redirect(url_for("matters.matter", slug=slug, location=form.location.data))

    if request.method == "POST" and form.validate():
        visitor = Visitor(
            name=form.name.data,
            email=form.email.data,
            phone=form.phone.data or None,
            language=form.language.data,
        )
        try:
            visit = request_visit(matter, location.slug, start, visitor, utcnow())
        except SlotTaken:
            db.session.rollback()
            flash(problem_message(Problem.SLOT_TAKEN, matter), "error")
            return redirect(url_for("matters.matter", slug=slug, location=location.slug), 303)
        except RequestRefused as refused:
            db.session.rollback()
            for field, messages in problem_messages(refused.problems, matter).items():
                if field in form:
                    form[field].errors = [*form[field].errors, *messages]
                else:
                    for message in messages:
                        flash(message, "error")
        else:
            db.session.commit()
            session["held_reference"] = visit.reference
            return redirect(url_for("booking.held"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "booking/form.html", matter=matter, location=location, start=start, form=form
    ), status


@bp.get("/booking/sent")
def held():
    """What happens next, with the reference; shown to whoever just sent the request."""
    reference = session.get("held_reference")
    visit = reference and db.session.scalar(select(Visit).where(Visit.reference == reference))
    if not visit:
        return redirect(url_for("matters.index"))
    return render_template("booking/held.html", visit=visit)
