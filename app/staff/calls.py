"""Calling visitors who arrived: a clerk says once which desk they call to (kept in their
session), then calls the next visitor at a place, or one chosen on the agenda; the waiting
room's screen (``app.display``) shows the call."""

from flask import abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from app.accounts import audit
from app.accounts.views import safe_next
from app.booking import operations
from app.booking.messages import show_refusal
from app.booking.rules import BookingRefused
from app.database import utcnow
from app.extensions import db
from app.staff.actions import staff_member
from app.staff.blueprint import bp
from app.staff.forms import DeskForm
from app.staff.scope import chosen_units, my_locations, visit_or_404
from app.staff.texts import STATUS_LABELS

DESK = "desk"  # the session's key


def back() -> str:
    return safe_next(request.form.get("next")) or url_for("staff.agenda")


def my_desk() -> str | None:
    return session.get(DESK)


@bp.context_processor
def desk_context() -> dict:
    return {"my_desk": my_desk(), "desk_form": DeskForm(formdata=None, desk=my_desk())}


@bp.post("/desk")
def set_desk():
    form = DeskForm()
    if not form.validate_on_submit():
        flash(_("Your desk: %(error)s", error=form.desk.errors[0]), "error")
        return redirect(back(), 303)
    session[DESK] = form.desk.data
    flash(_("You call visitors to: %(desk)s.", desk=form.desk.data), "success")
    return redirect(back(), 303)


def called(visit) -> None:
    audit.record("visit.call", f"visit {visit.reference}", None, {"called_to": visit.called_to})
    db.session.commit()
    flash(
        _(
            "Number %(number)s (%(reference)s) is called to %(desk)s.",
            number=visit.queue_number,
            reference=visit.reference,
            desk=visit.called_to,
        ),
        "success",
    )


@bp.post("/visits/<reference>/call")
def call(reference: str):
    visit = visit_or_404(reference)
    if my_desk() is None:
        flash(_("Say first which desk you call visitors to."), "error")
        return redirect(back(), 303)
    try:
        operations.call(visit, my_desk(), staff_member(), utcnow())
    except BookingRefused as refused:
        db.session.rollback()
        show_refusal(refused, visit.matter, state_names=STATUS_LABELS)
        return redirect(back(), 303)
    called(visit)
    return redirect(back(), 303)


@bp.post("/call-next")
def call_next():
    places = {location.id: location for location in my_locations()}
    location_id = request.form.get("location", type=int)
    if location_id not in places:
        abort(403)  # a place none of the user's units receives at
    if my_desk() is None:
        flash(_("Say first which desk you call visitors to."), "error")
        return redirect(back(), 303)
    unit_ids = [unit.id for unit in chosen_units(request.form.get("unit"))]
    visit = operations.call_next(location_id, unit_ids, my_desk(), staff_member(), utcnow())
    if visit is None:
        flash(_("Nobody who arrived is waiting to be called."), "info")
        return redirect(back(), 303)
    called(visit)
    return redirect(back(), 303)
