"""The infoline, built for speed while a caller waits, without JavaScript: find the matter, see
its next free times, book for the caller and read out the script; look a visit up by reference
or phone number, cancel or move it. Operators and administrators only.

The rules live in ``app.booking``; these views parse, call it, audit and commit.
"""

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts import audit
from app.accounts.access import roles_required
from app.accounts.models import Role
from app.booking import checks, operations
from app.booking.forms import visitor_of
from app.booking.messages import problem_message, problem_messages
from app.booking.models import Visit
from app.booking.picker import build_picker, move_step, picker_choice
from app.booking.references import parse_reference
from app.booking.rules import BookingRefused, Problem
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.mail.sms import texts_enabled
from app.matters.forms import MatterSearchForm
from app.matters.models import Matter
from app.matters.queries import matter_or_404
from app.matters.search import find_matters
from app.operator.forms import (
    CHOOSE_A_TIME,
    CallerForm,
    CancelForm,
    MoveForm,
    VisitSearchForm,
)
from app.operator.script import readable_phone, spaced_reference, spoken_hour
from app.operator.search import find_visits
from app.templating import local_date

bp = Blueprint("operator", __name__, url_prefix="/operator")

# The per-person rules, said about the caller rather than to them.
CALLER_PROBLEMS = {
    Problem.ALREADY_BOOKED_MATTER: _l(
        "This caller (the same phone number or e-mail) already has a visit for this matter. "
        "Look it up to move it instead."
    ),
    Problem.TOO_MANY_VISITS: _l(
        "This caller (the same phone number or e-mail) already has the most visits one person "
        "may book at once."
    ),
}
# What the audit log keeps of a visit: no personal data (the log outlives the retention period).
AUDITED = ["status", "matter_id", "location_id", "starts_at", "desk"]


@bp.before_request
@roles_required(Role.OPERATOR, Role.ADMIN)
def only_the_infoline():
    """Guards every route of the area: anonymous users log in, other roles get 403."""


# --- Finding ------------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
def index():
    """Matters are found by GET (``?q=``, a link one may share); visits by POST."""
    matter_form, visit_form = MatterSearchForm(request.args), VisitSearchForm()
    catalog = db.session.scalars(
        select(Matter).options(selectinload(Matter.unit)).order_by(Matter.id)
    ).all()
    matters = visits = None
    if request.method == "POST":
        if visit_form.validate_on_submit() and visit_form.visit.data:
            visits = find_visits(visit_form.visit.data)
    elif matter_form.validate() and matter_form.q.data:
        matters = find_matters(catalog, matter_form.q.data)
    return render_template(
        "operator/index.html",
        matter_form=matter_form,
        visit_form=visit_form,
        catalog=catalog,
        matters=matters,
        visits=visits,
    )


@bp.get("/matters/<slug>")
def matter(slug: str):
    matter = matter_or_404(slug)
    context = {"matter": matter}
    if matter.has_visits:
        context["picker"] = build_picker(matter, utcnow(), online=False, **picker_choice())
    return render_template("operator/matter.html", **context)


@bp.context_processor
def helpers() -> dict:
    return {"can_change": can_change}


def operator() -> operations.Actor:
    return operations.Actor.office(current_user, Channel.INFOLINE)


def slot_messages(matter: Matter, location_slug: str, start: datetime | None) -> list[str]:
    """What is wrong with the chosen time, as messages (none when it can be booked)."""
    if start is None:
        return [str(CHOOSE_A_TIME)]
    return messages_for(checks.slot_problems(matter, location_slug, start, utcnow()), matter)


# --- Booking for a caller -----------------------------------------------------------------------


@bp.route("/matters/<slug>/book", methods=["GET", "POST"])
def book(slug: str):
    matter = matter_or_404(slug)
    if not matter.has_visits:
        flash(problem_message(Problem.NO_VISITS, matter), "error")
        return redirect(url_for("operator.matter", slug=slug))
    form = CallerForm(request.form if request.method == "POST" else request.args)
    location_slug, start = form.slot.data or ("", None)
    status = 200
    caller_has_visit = False
    if request.method == "POST" and form.validate():
        caller = visitor_of(form)
        try:
            visit = operations.book(matter, location_slug, start, caller, operator(), utcnow())
        except BookingRefused as refused:
            db.session.rollback()
            person = refused.problems.pop("person", [])
            form.phone.errors = [*form.phone.errors, *(str(CALLER_PROBLEMS[p]) for p in person)]
            notice = refused.problems.pop("sign_language", [])
            form.sign_language.errors = [problem_message(p, matter) for p in notice]
            caller_has_visit = Problem.ALREADY_BOOKED_MATTER in person
            time_errors = messages_for(refused.problems, matter)
            status = 409 if refused.is_conflict else 422
        else:
            audit.record("visit.book", f"visit {visit.reference}", after=audited(visit))
            db.session.commit()
            return redirect(url_for("operator.script", reference=visit.reference), 303)
    else:
        time_errors = slot_messages(matter, location_slug, start)
        if request.method == "POST":
            status = 422
    context = {
        "matter": matter,
        "form": form,
        "time_errors": time_errors,
        "caller_has_visit": caller_has_visit,
    }
    if time_errors:  # offer the free times of the day asked for (or the next), in the same form
        context["picker"] = build_picker(matter, utcnow(), online=False, **picker_choice())
    else:
        context |= {"location": matter.location(location_slug), "start": start}
    return render_template("operator/book.html", **context), status


def messages_for(problems: dict[str, list[Problem]], matter: Matter) -> list[str]:
    return [message for field in problem_messages(problems, matter).values() for message in field]


def audited(visit: Visit) -> dict:
    values = audit.snapshot(visit, AUDITED)
    values["starts_at"] = visit.starts_at.astimezone(UTC).isoformat()
    return values


@bp.get("/visits/<reference>/script")
def script(reference: str):
    """What to read out to the caller, after booking or moving (or to repeat it later)."""
    visit = visit_or_404(reference)
    return render_template(
        "operator/script.html",
        visit=visit,
        texts_on=texts_enabled(current_app.config),
        spoken={
            "date": local_date(visit.starts_at),
            "hour": spoken_hour(visit.starts_at),
            "reference": spaced_reference(visit.reference),
            "phone": readable_phone(visit.phone),
        },
    )


# --- A visit: looking it up, cancelling, moving --------------------------------------------------


def visit_or_404(reference: str) -> Visit:
    """The visit by its reference however typed (the operations lock it when they change it)."""
    normalized = parse_reference(reference)
    visit = normalized and db.session.scalar(select(Visit).where(Visit.reference == normalized))
    if not visit:
        abort(404)
    return visit


@bp.get("/visits/<reference>")
def visit(reference: str):
    visit = visit_or_404(reference)
    return render_template(
        "operator/visit.html",
        visit=visit,
        phone=readable_phone(visit.phone),
    )


def can_change(visit: Visit) -> bool:
    """Cancel or move: only a visit still waiting for its time."""
    return operations.is_ahead(visit, utcnow())


def unchangeable(visit: Visit):
    flash(_("This visit can no longer be changed."), "error")
    return redirect(url_for("operator.visit", reference=visit.reference), 303)


@bp.route("/visits/<reference>/cancel", methods=["GET", "POST"])
def cancel(reference: str):
    """A confirm step with the reason; only its POST cancels."""
    visit = visit_or_404(reference)
    if not can_change(visit):
        return unchangeable(visit)
    form = CancelForm()
    status = 200
    if form.validate_on_submit():
        before = audited(visit)
        try:
            operations.cancel(visit, operator(), form.reason.data, utcnow())
        except BookingRefused as refused:
            db.session.rollback()
            if "visit" in refused.problems:  # cancelled, or its time came, meanwhile
                return unchangeable(visit)
            form.reason.errors = messages_for(refused.problems, visit.matter)
            status = 422
        else:
            audit.record("visit.cancel", f"visit {visit.reference}", before, audited(visit))
            db.session.commit()
            flash(_("The visit %(reference)s is cancelled.", reference=visit.reference), "success")
            if visit.email:
                flash(_("The caller will receive an e-mail about it."), "info")
            return redirect(url_for("operator.visit", reference=visit.reference), 303)
    elif form.errors:
        status = 422
    return render_template("operator/cancel.html", visit=visit, form=form), status


@bp.route("/visits/<reference>/move", methods=["GET", "POST"])
def move(reference: str):
    visit = visit_or_404(reference)
    if not can_change(visit):
        return unchangeable(visit)
    form = MoveForm()
    status = 200
    if form.validate_on_submit():
        location_slug, start = form.slot.data
        before = audited(visit)
        try:
            operations.move(visit, location_slug, start, operator(), utcnow())
        except BookingRefused as refused:
            db.session.rollback()
            if "visit" in refused.problems:  # cancelled, or its time came, meanwhile
                return unchangeable(visit)
            form.slot.errors = messages_for(refused.problems, visit.matter)
            status = 409 if refused.is_conflict else 422
        else:
            audit.record("visit.move", f"visit {visit.reference}", before, audited(visit))
            db.session.commit()
            flash(_("The visit has been moved. Read the new time to the caller."), "success")
            return redirect(url_for("operator.script", reference=visit.reference), 303)
    elif form.errors:
        status = 422
    step = move_step(visit, utcnow(), Channel.INFOLINE)
    if step.problems:
        form.slot.errors = messages_for(step.problems, visit.matter)
        status = 422
    return render_template("operator/move.html", visit=visit, form=form, step=step), status
