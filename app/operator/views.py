"""The infoline, built for speed while a caller waits, without JavaScript: find the matter, see
its next free times, book for the caller and read out the script; look a visit up by reference
or phone number, cancel or move it. Operators and administrators only.

The rules live in ``app.booking``; these views parse, call it, audit and commit.
"""

from datetime import UTC, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts import audit
from app.accounts.access import roles_required
from app.accounts.models import Role
from app.booking import office
from app.booking.desks import SlotTaken
from app.booking.messages import problem_message, problem_messages
from app.booking.models import Visit
from app.booking.references import parse_reference
from app.booking.requests import RequestRefused, Visitor, parse_start, slot_problems
from app.booking.rules import Problem
from app.booking.schedule import office_timezone
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter, VisitPolicy
from app.matters.views import matter_or_404, parse_day
from app.operator.forms import (
    CHOOSE_A_TIME,
    CallerForm,
    CancelForm,
    MoveForm,
    SearchForm,
    slot_value,
)
from app.operator.script import readable_phone, spaced_reference, spoken_date, spoken_hour
from app.operator.search import find_matters, find_visits
from app.operator.times import local_date, next_times

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


@bp.get("/")
def index():
    form = SearchForm(request.args)
    searched = form.validate() and (form.q.data or form.visit.data)
    catalog = db.session.scalars(
        select(Matter).options(selectinload(Matter.unit)).order_by(Matter.id)
    ).all()
    return render_template(
        "operator/index.html",
        form=form,
        catalog=catalog,
        matters=find_matters(catalog, form.q.data) if searched and form.q.data else None,
        visits=find_visits(form.visit.data) if searched and form.visit.data else None,
    )


@bp.get("/matters/<slug>")
def matter(slug: str):
    matter = matter_or_404(slug)
    context = {"matter": matter}
    if matter.visit_policy is not VisitPolicy.NONE:
        context |= next_times(matter, **time_choice())
    return render_template("operator/matter.html", **context)


def time_choice() -> dict:
    """The place picked (``?place=``), and the day picked (``?day=``) or the last time
    already shown (``?after=``)."""
    return {
        "place": request.args.get("place"),
        "day": parse_day(request.args.get("day")),
        "after": parse_start(request.args.get("after", ""), office_timezone()),
    }


@bp.context_processor
def helpers() -> dict:
    return {
        "slot_value": lambda location, start: slot_value(location.slug, start),
        "can_change": can_change,
    }


def slot_messages(matter: Matter, location_slug: str, start: datetime | None) -> list[str]:
    """What is wrong with the chosen time, as messages (none when it can be booked)."""
    if start is None:
        return [str(CHOOSE_A_TIME)]
    problems = slot_problems(matter, matter.location(location_slug), start, utcnow())
    return messages_for(problems, matter)


# --- Booking for a caller -----------------------------------------------------------------------


@bp.route("/matters/<slug>/book", methods=["GET", "POST"])
def book(slug: str):
    matter = matter_or_404(slug)
    if matter.visit_policy is VisitPolicy.NONE:
        flash(problem_message(Problem.NO_VISITS, matter), "error")
        return redirect(url_for("operator.matter", slug=slug))
    form = CallerForm(request.form if request.method == "POST" else request.args)
    location_slug, start = form.slot.data or ("", None)
    status = 200
    caller_has_visit = False
    if request.method == "POST" and form.validate():
        caller = Visitor(
            name=form.name.data,
            email=form.email.data or None,
            phone=form.phone.data,
            language=form.language.data,
        )
        try:
            visit = office.book_for_caller(
                matter, location_slug, start, caller, booked_by=current_user, now=utcnow()
            )
        except SlotTaken:
            db.session.rollback()
            time_errors, status = [problem_message(Problem.SLOT_TAKEN, matter)], 409
        except RequestRefused as refused:
            db.session.rollback()
            person = refused.problems.pop("phone", [])
            form.phone.errors = [*form.phone.errors, *(str(CALLER_PROBLEMS[p]) for p in person)]
            caller_has_visit = Problem.ALREADY_BOOKED_MATTER in person
            time_errors, status = messages_for(refused.problems, matter), 422
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
    if time_errors:  # offer the next free times from the day asked for, in the same form
        asked = next_times(matter, day=start and local_date(start))["shown"]
        context["alternatives"] = asked or next_times(matter)["shown"]
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
        spoken={
            "date": spoken_date(visit.starts_at),
            "hour": spoken_hour(visit.starts_at),
            "reference": spaced_reference(visit.reference),
            "phone": readable_phone(visit.phone),
        },
    )


# --- A visit: looking it up, cancelling, moving --------------------------------------------------


def visit_or_404(reference: str, for_update: bool = False) -> Visit:
    """The visit by its reference however typed; ``for_update`` locks its row until the commit,
    so that two operators changing it at once take turns (the second sees the first's change)."""
    normalized = parse_reference(reference)
    query = select(Visit).where(Visit.reference == normalized)
    visit = normalized and db.session.scalar(query.with_for_update() if for_update else query)
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
    """Cancel or move: only a visit still waiting for its time (the office's rule)."""
    return office.is_movable(visit, utcnow())


def unchangeable(visit: Visit):
    flash(_("This visit can no longer be changed."), "error")
    return redirect(url_for("operator.visit", reference=visit.reference), 303)


@bp.route("/visits/<reference>/cancel", methods=["GET", "POST"])
def cancel(reference: str):
    """A confirm step with the reason; only its POST cancels."""
    visit = visit_or_404(reference, for_update=request.method == "POST")
    if not can_change(visit):
        return unchangeable(visit)
    form = CancelForm()
    if form.validate_on_submit():
        before = audited(visit)
        office.cancel(visit, form.reason.data, actor=current_user.email)
        audit.record("visit.cancel", f"visit {visit.reference}", before, audited(visit))
        db.session.commit()
        flash(_("The visit %(reference)s is cancelled.", reference=visit.reference), "success")
        if visit.email:
            flash(_("The caller will receive an e-mail about it."), "info")
        return redirect(url_for("operator.visit", reference=visit.reference), 303)
    status = 422 if form.errors else 200
    return render_template("operator/cancel.html", visit=visit, form=form), status


@bp.route("/visits/<reference>/move", methods=["GET", "POST"])
def move(reference: str):
    visit = visit_or_404(reference, for_update=request.method == "POST")
    if not can_change(visit):
        return unchangeable(visit)
    form = MoveForm()
    status = 200
    if form.validate_on_submit():
        location_slug, start = form.slot.data
        before = audited(visit)
        try:
            office.move(visit, location_slug, start, actor=current_user.email, now=utcnow())
        except SlotTaken:
            db.session.rollback()
            form.slot.errors = [problem_message(Problem.SLOT_TAKEN, visit.matter)]
            status = 409
        except RequestRefused as refused:
            db.session.rollback()
            form.slot.errors = messages_for(refused.problems, visit.matter)
            status = 422
        else:
            audit.record("visit.move", f"visit {visit.reference}", before, audited(visit))
            db.session.commit()
            flash(_("The visit has been moved. Read the new time to the caller."), "success")
            return redirect(url_for("operator.script", reference=visit.reference), 303)
    elif form.errors:
        status = 422
    times = next_times(visit.matter, **time_choice())
    return render_template("operator/move.html", visit=visit, form=form, **times), status
