"""A visit as its unit sees it: details, history, and the actions its state allows.

Each action is a POST form: the booking operations decide and change the visit,
the audit log records it, and the view commits both together, or rolls back and says why.
"""

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import audit
from app.accounts.views import safe_next
from app.booking import operations
from app.booking.messages import problem_message, show_refusal
from app.booking.models import Visit, VisitStatus
from app.booking.notifications import mail_language
from app.booking.picker import move_step
from app.booking.rules import BookingRefused, Problem
from app.booking.schedule import office_day, office_timezone
from app.booking.slot_codec import parse_slot
from app.booking.states import DAY_MARKS, Channel
from app.database import utcnow
from app.extensions import db
from app.staff.blueprint import bp
from app.staff.forms import DeclineForm, MarkForm, MoveForm, ReasonForm
from app.staff.scope import visit_or_404
from app.staff.texts import DECLINE_REASONS, STATUS_LABELS

S = VisitStatus


def staff_member() -> operations.Actor:
    return operations.Actor.office(current_user, Channel.STAFF)


def offered_actions(visit: Visit) -> list[str]:
    """The buttons the visit's page offers now, as the operations will allow them. The office
    declines a request and cancels a confirmed visit (the visitor reads which)."""
    now = utcnow()
    status = visit.status
    offered = []
    if status is S.REQUESTED:
        offered += ["confirm", "decline"]
    elif operations.is_ahead(visit, now):
        offered.append("cancel")
    offered += [
        mark.value
        for mark in sorted(DAY_MARKS)
        if status.may_become(mark) and now >= operations.mark_opens(visit, mark)
    ]
    if operations.last_mark(visit, now) is not None:
        offered.append("undo")
    if operations.is_ahead(visit, now):
        offered.append("move")
    return offered


@bp.context_processor
def visit_actions() -> dict:
    return {"offered_actions": offered_actions}


def snapshot(visit: Visit) -> dict:
    """What the audit log keeps of a visit before and after an action (no personal data: the
    log outlives the retention period)."""
    return {
        "status": visit.status.value,
        "starts_at": visit.starts_at.astimezone(office_timezone()).isoformat(),
        "location_id": visit.location_id,
        "reason": visit.reason,
    }


def decline_reason(form: DeclineForm, visit: Visit) -> str:
    """The usual reason chosen, in the visitor's language, then the office's own words."""
    with force_locale(mail_language(visit)):
        usual = str(DECLINE_REASONS[form.usual.data]) if form.usual.data else ""
    return " ".join(part for part in (usual, form.reason.data) if part)


def visit_url(visit: Visit) -> str:
    return url_for("staff.visit", reference=visit.reference)


# The actions the visitor hears of (the operations queue the e-mail); a request moved by the
# office is not: its confirmation tells the visitor the time.
TELLS_VISITOR = {"confirm", "decline", "cancel", "move"}


def told(visit: Visit) -> str:
    if visit.email:
        return _("The visitor gets an e-mail.")
    if visit.phone:
        return _("The visitor has no e-mail address: call them (%(phone)s).", phone=visit.phone)
    return _("The visitor has no e-mail address or phone number.")


def perform(visit: Visit, action: str, change: Callable[[], None], done: str, retry_url=None):
    """Run the operation ``change``; on success audit it, commit and say ``done``; on a refusal
    roll back (the visit stays as it was) and say why. Either way, go back where the form came
    from."""
    back = safe_next(request.form.get("next")) or visit_url(visit)
    before = snapshot(visit)
    try:
        change()
    except BookingRefused as refused:
        db.session.rollback()
        show_refusal(refused, visit.matter, state_names=STATUS_LABELS)
        return redirect(retry_url or back, 303)
    audit.record(f"visit.{action}", f"visit {visit.reference}", before, snapshot(visit))
    db.session.commit()
    tells = action in TELLS_VISITOR and not (action == "move" and visit.status is S.REQUESTED)
    flash(f"{done} {told(visit)}" if tells else done, "success")
    return redirect(back, 303)


def render_visit(visit: Visit, status: int = 200, **forms):
    forms = {
        "decline_form": DeclineForm(formdata=None),
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
    visit = visit_or_404(reference)
    return perform(
        visit,
        "confirm",
        lambda: operations.confirm(visit, staff_member(), utcnow()),
        _("Visit %(reference)s is confirmed.", reference=visit.reference),
    )


@bp.post("/visits/<reference>/decline")
def decline(reference: str):
    visit = visit_or_404(reference)
    form = DeclineForm()
    if not form.validate_on_submit():
        return render_visit(visit, 400, decline_form=form)
    reason = decline_reason(form, visit)
    return perform(
        visit,
        "decline",
        lambda: operations.decline(visit, staff_member(), reason, utcnow()),
        _("Visit request %(reference)s is declined.", reference=visit.reference),
    )


@bp.post("/visits/<reference>/cancel")
def cancel(reference: str):
    visit = visit_or_404(reference)
    form = ReasonForm()
    if not form.validate_on_submit():
        return render_visit(visit, 400, cancel_form=form)
    return perform(
        visit,
        "cancel",
        lambda: operations.cancel(visit, staff_member(), form.reason.data, utcnow()),
        _("Visit %(reference)s is cancelled.", reference=visit.reference),
    )


@bp.post("/visits/<reference>/mark")
def mark(reference: str):
    visit = visit_or_404(reference)
    form = MarkForm()
    if not form.validate_on_submit():
        abort(400, _("Choose arrived, attended or did not come."))
    status = VisitStatus(form.mark.data)
    if status is S.NO_SHOW and not form.confirmed.data and "no_show" in offered_actions(visit):
        next_url = safe_next(request.form.get("next"))
        return redirect(url_for("staff.no_show", reference=visit.reference, next=next_url), 303)
    return perform(
        visit,
        status.value,
        lambda: operations.mark(visit, status, staff_member(), utcnow()),
        _(
            "Visit %(reference)s: %(state)s.",
            reference=visit.reference,
            state=STATUS_LABELS[status.value],
        ),
    )


@bp.post("/visits/<reference>/handled")
def handled(reference: str):
    """What the scheduler left for a person is done (the visitor called, the visit checked)."""
    visit = visit_or_404(reference)
    back = safe_next(request.form.get("next")) or url_for("staff.attention")
    before = {"attention": visit.attention}
    operations.acknowledge(visit, staff_member())
    audit.record("visit.handled", f"visit {visit.reference}", before, {"attention": ""})
    db.session.commit()
    flash(_("Visit %(reference)s is off the list.", reference=visit.reference), "success")
    return redirect(back, 303)


@bp.get("/visits/<reference>/no-show")
def no_show(reference: str):
    """ "Did not come" is final for the visitor's record: one more step before it is said."""
    visit = visit_or_404(reference)
    back = safe_next(request.args.get("next")) or visit_url(visit)
    if "no_show" not in offered_actions(visit):
        return redirect(back, 303)
    return render_template("staff/no_show.html", visit=visit, back=back)


@bp.post("/visits/<reference>/undo")
def undo(reference: str):
    visit = visit_or_404(reference)
    return perform(
        visit,
        "undo",
        lambda: operations.undo_mark(visit, staff_member(), utcnow()),
        _("The mark of visit %(reference)s is undone.", reference=visit.reference),
    )


@bp.route("/visits/<reference>/move", methods=["GET", "POST"])
def move(reference: str):
    visit = visit_or_404(reference)
    if not operations.is_ahead(visit, utcnow()):
        problem = Problem.IN_PAST if visit.status.is_movable else Problem.WRONG_STATE
        flash(problem_message(problem, visit.matter, STATUS_LABELS[visit.status.value]), "error")
        return redirect(visit_url(visit), 303)
    form = MoveForm()
    if form.validate_on_submit():
        chosen = parse_slot(form.slot.data, office_timezone())
        move_url = url_for("staff.move", reference=visit.reference)
        if chosen is None:
            flash(problem_message(Problem.OUTSIDE_HOURS, visit.matter), "error")
            return redirect(move_url, 303)
        location_slug, start = chosen
        move_url = url_for(  # after a refusal: the other times of that day
            "staff.move",
            reference=visit.reference,
            location=location_slug,
            day=office_day(start).isoformat(),
        )
        return perform(
            visit,
            "move",
            lambda: operations.move(visit, location_slug, start, staff_member(), utcnow()),
            _("Visit %(reference)s is moved.", reference=visit.reference),
            retry_url=move_url,
        )
    status = 400 if form.errors else 200
    for messages in form.errors.values():  # a form sent without its token, say
        for message in messages:
            flash(message, "error")
    step = move_step(visit, utcnow(), Channel.STAFF)
    if step.problems:
        show_refusal(BookingRefused(step.problems), visit.matter)
        status = 422
    return render_template("staff/move.html", visit=visit, step=step), status
