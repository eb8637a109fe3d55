"""A visit as its unit sees it: details, history, and the actions its state allows.

Each action is a POST form: the domain (``app.booking.office``) decides and changes the visit,
the audit log records it, and the view commits both together, or rolls back and says why.
"""

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts import audit
from app.accounts.views import safe_next
from app.booking import office
from app.booking.desks import SlotTaken
from app.booking.lifecycle import ALLOWED, InvalidTransition
from app.booking.messages import problem_message, problem_messages
from app.booking.models import Visit, VisitStatus
from app.booking.requests import RequestRefused, parse_start
from app.booking.rules import Problem
from app.booking.schedule import matter_free_slots, office_timezone
from app.database import utcnow
from app.extensions import db
from app.i18n import localized
from app.staff.agenda import FIRST_DAY, LAST_DAY
from app.staff.blueprint import bp
from app.staff.forms import MarkForm, MoveForm, ReasonForm
from app.staff.scope import visit_or_404
from app.staff.texts import STATUS_LABELS

S = VisitStatus
# What each button leads to; the visit's life (``lifecycle.ALLOWED``) decides which it offers.
TARGETS = {
    "confirm": S.CONFIRMED,
    "decline": S.DECLINED,
    "cancel": S.CANCELLED,
    "arrived": S.ARRIVED,
    "attended": S.ATTENDED,
    "no_show": S.NO_SHOW,
}


def offered_actions(visit: Visit) -> list[str]:
    now = utcnow()
    offered = [name for name, target in TARGETS.items() if target in ALLOWED[visit.status]]
    # The office declines a request and cancels a confirmed visit (the visitor reads which).
    if visit.status is S.REQUESTED:
        offered.remove("cancel")
    if not office.its_day_has_come(visit, now):
        offered = [name for name in offered if TARGETS[name] not in office.DAY_MARKS]
    if office.is_movable(visit, now):
        offered.append("move")
    return offered


def snapshot(visit: Visit) -> dict:
    """What the audit log keeps of a visit before and after an action."""
    return {
        "status": visit.status.value,
        "starts_at": visit.starts_at.astimezone(office_timezone()).isoformat(),
        "location_id": visit.location_id,
        "reason": visit.reason,
    }


def visit_url(visit: Visit) -> str:
    return url_for("staff.visit", reference=visit.reference)


# The actions the visitor hears of (``office`` queues the e-mail).
TELLS_VISITOR = {"confirm", "decline", "cancel", "move"}


def told(visit: Visit) -> str:
    if visit.email:
        return _("The visitor gets an e-mail.")
    if visit.phone:
        return _("The visitor has no e-mail address: call them (%(phone)s).", phone=visit.phone)
    return _("The visitor has no e-mail address or phone number.")


def perform(visit: Visit, action: str, change: Callable[[], None], done: str, retry_url=None):
    """Run ``change``; on success audit it, commit and say ``done``; on a refusal roll back
    (the visit stays as it was) and say why. Either way, go back where the form came from."""
    back = safe_next(request.form.get("next")) or visit_url(visit)
    before = snapshot(visit)
    try:
        change()
    except InvalidTransition:
        db.session.rollback()
        state = STATUS_LABELS[visit.status.value]
        flash(_("This visit is %(state)s: it cannot be changed this way.", state=state), "error")
    except RequestRefused as refused:
        db.session.rollback()
        for messages in problem_messages(refused.problems, visit.matter).values():
            for message in messages:
                flash(message, "error")
    except SlotTaken:
        db.session.rollback()
        flash(problem_message(Problem.SLOT_TAKEN, visit.matter), "error")
    except office.NotOnItsDay:
        db.session.rollback()
        flash(_("Arrivals and absences are marked on the day of the visit."), "error")
    else:
        audit.record(f"visit.{action}", f"visit {visit.reference}", before, snapshot(visit))
        db.session.commit()
        flash(f"{done} {told(visit)}" if action in TELLS_VISITOR else done, "success")
        return redirect(back, 303)
    return redirect(retry_url or back, 303)


def render_visit(visit: Visit, status: int = 200, **forms):
    forms = {
        "decline_form": ReasonForm(formdata=None),
        "cancel_form": ReasonForm(formdata=None),
    } | forms
    return render_template(
        "staff/visit.html", visit=visit, offered=offered_actions(visit), **forms
    ), status


@bp.get("/visits/<reference>", endpoint="visit")
def show_visit(reference: str):
    return render_visit(visit_or_404(reference))


@bp.post("/visits/<reference>/confirm")
def confirm(reference: str):
    visit = visit_or_404(reference, for_update=True)
    return perform(
        visit,
        "confirm",
        lambda: office.confirm(visit, actor=current_user.email, now=utcnow()),
        _("Visit %(reference)s is confirmed.", reference=visit.reference),
    )


@bp.post("/visits/<reference>/decline")
def decline(reference: str):
    visit = visit_or_404(reference, for_update=True)
    form = ReasonForm()
    if not form.validate_on_submit():
        return render_visit(visit, 400, decline_form=form)
    return perform(
        visit,
        "decline",
        lambda: office.decline(visit, form.reason.data, actor=current_user.email),
        _("Visit request %(reference)s is declined.", reference=visit.reference),
    )


@bp.post("/visits/<reference>/cancel")
def cancel(reference: str):
    visit = visit_or_404(reference, for_update=True)
    form = ReasonForm()
    if not form.validate_on_submit():
        return render_visit(visit, 400, cancel_form=form)
    return perform(
        visit,
        "cancel",
        lambda: office.cancel(visit, form.reason.data, actor=current_user.email),
        _("Visit %(reference)s is cancelled.", reference=visit.reference),
    )


@bp.post("/visits/<reference>/mark")
def mark(reference: str):
    visit = visit_or_404(reference, for_update=True)
    form = MarkForm()
    if not form.validate_on_submit():
        abort(400, _("Choose arrived, attended or did not come."))
    status = VisitStatus(form.mark.data)
    return perform(
        visit,
        status.value,
        lambda: office.mark(visit, status, actor=current_user.email, now=utcnow()),
        _(
            "Visit %(reference)s: %(state)s.",
            reference=visit.reference,
            state=STATUS_LABELS[status.value],
        ),
    )


def move_choices(visit: Visit) -> list[SelectChoice]:
    """The matter's free times, staff desks included, grouped by day, without its own."""
    timezone = office_timezone()
    found = matter_free_slots(visit.matter, visit.matter.locations, utcnow(), online=False)
    return [
        SelectChoice(
            f"{location.slug}|{local.isoformat()}",
            f"{local:%H:%M} — {localized(location.name)}",
            optgroup=format_date(local.date(), "full"),
        )
        for location, slot in found
        if (location.id, slot.start) != (visit.location_id, visit.starts_at)
        for local in [slot.start.astimezone(timezone)]
    ]


@bp.route("/visits/<reference>/move", methods=["GET", "POST"])
def move(reference: str):
    visit = visit_or_404(reference, for_update=request.method == "POST")
    if not office.is_movable(visit, utcnow()):
        state = STATUS_LABELS[visit.status.value]
        flash(_("This visit is %(state)s: it cannot be changed this way.", state=state), "error")
        return redirect(visit_url(visit), 303)
    form = MoveForm()
    if form.validate_on_submit():
        location_slug, _sep, start_text = form.slot.data.partition("|")
        start = parse_start(start_text, office_timezone())
        move_url = url_for("staff.move", reference=visit.reference)
        if start is None or not FIRST_DAY <= start.date() <= LAST_DAY:
            flash(problem_message(Problem.OUTSIDE_HOURS, visit.matter), "error")
            return redirect(move_url, 303)
        return perform(
            visit,
            "move",
            lambda: office.move(visit, location_slug, start, current_user.email, utcnow()),
            _("Visit %(reference)s is moved.", reference=visit.reference),
            retry_url=move_url,
        )
    form.slot.choices = move_choices(visit)
    status = 400 if form.errors else 200
    return render_template("staff/move.html", visit=visit, form=form), status
