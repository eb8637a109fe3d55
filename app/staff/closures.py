"""Closures entered by staff: time a place of their units receives nobody. The scheduler's
re-check then cancels the confirmed visits that fall in it and tells the people."""

from datetime import time, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from app.accounts import audit
from app.booking.messages import recheck_message
from app.booking.recheck import closure_matching, mark_closure
from app.booking.schedule import office_timezone
from app.database import utcnow
from app.extensions import db
from app.i18n import localized
from app.matters.models import Closure
from app.staff.blueprint import bp
from app.staff.change_check import check_change
from app.staff.forms import ClosureForm
from app.staff.scope import closure_or_404, is_admin, my_locations, my_units
from app.templating import local_date, local_datetime

EVERY_UNIT = 0


def closure_form() -> ClosureForm:
    form = ClosureForm()
    form.location.choices = [
        SelectChoice(location.id, f"{localized(location.name)} ({location.address})")
        for location in my_locations()
    ]
    units = [SelectChoice(unit.id, localized(unit.name)) for unit in my_units()]
    if is_admin():
        units.insert(0, SelectChoice(EVERY_UNIT, _("Every unit received at the place")))
    form.unit.choices = units
    if form.unit.data is None:
        form.unit.data = units[0].value  # the user's own unit when they have one
    return form


def span(closure: Closure) -> str:
    """When a closure runs, on the office's clock: whole days as dates, else with hours."""
    timezone = office_timezone()
    start, end = (moment.astimezone(timezone) for moment in (closure.starts_at, closure.ends_at))
    if start.time() == end.time() == time():  # whole days
        last = end.date() - timedelta(days=1)
        first = local_date(start.date())
        return first if last == start.date() else f"{first} – {local_date(last)}"
    if start.date() == end.date():
        return f"{local_date(start.date())}, {start:%H:%M}–{end:%H:%M}"
    return f"{local_datetime(start)} – {local_datetime(end)}"


def snapshot(closure: Closure) -> dict:
    timezone = office_timezone()
    return {
        "location_id": closure.location_id,
        "unit_id": closure.unit_id,
        "starts_at": closure.starts_at.astimezone(timezone).isoformat(),
        "ends_at": closure.ends_at.astimezone(timezone).isoformat(),
        "reason": closure.reason,
    }


def upcoming_closures() -> list[Closure]:
    """Closures not yet over at the user's places (for every unit or one of theirs), and
    those of the whole office."""
    location_ids = [location.id for location in my_locations()]
    unit_ids = [unit.id for unit in my_units()]
    return list(
        db.session.scalars(
            select(Closure)
            .where(
                Closure.ends_at > utcnow(),
                or_(Closure.location_id.in_(location_ids), Closure.location_id.is_(None)),
                or_(Closure.unit_id.is_(None), Closure.unit_id.in_(unit_ids)),
            )
            .order_by(Closure.starts_at, Closure.id)
        )
    )


def render_closures(form: ClosureForm, status: int = 200):
    rows = [
        (closure, span(closure), closure.location_id is not None or is_admin())
        for closure in upcoming_closures()
    ]
    return render_template("staff/closures.html", rows=rows, form=form), status


@bp.get("/closures", endpoint="closures")
def list_closures():
    return render_closures(closure_form())


@bp.post("/closures")
def add_closure():
    form = closure_form()
    mine = {choice.value for choice in form.location.choices}
    if form.location.data is not None and form.location.data not in mine:
        abort(403)  # a place none of the user's units receives at
    if not form.validate_on_submit():
        return render_closures(form, 400)
    if form.unit.data not in {choice.value for choice in form.unit.choices}:
        abort(403)  # not one of the user's units
    starts_at, ends_at = form.interval()
    closure = Closure(
        location_id=form.location.data,
        unit_id=form.unit.data or None,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=form.reason.data,
    )
    db.session.add(closure)
    check = check_change("closure", [closure_matching(closure)], back=url_for("staff.closures"))
    if check is not None:
        return check
    audit.record("closure.add", f"closure {closure.id}", None, snapshot(closure))
    affected = mark_closure(closure, utcnow())
    db.session.commit()
    flash(_("The closure is saved."), "success")
    flash(recheck_message(affected), "info")
    return redirect(url_for("staff.closures"), 303)


@bp.post("/closures/<int:closure_id>/remove")
def remove_closure(closure_id: int):
    closure = closure_or_404(closure_id)
    audit.record("closure.remove", f"closure {closure.id}", snapshot(closure), None)
    db.session.delete(closure)
    db.session.commit()
    flash(
        _("The closure is removed. Visits it has cancelled stay cancelled."),
        "success",
    )
    return redirect(url_for("staff.closures"), 303)
