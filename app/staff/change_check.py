"""Before a change of the catalog that would call off booked visits is saved: a page listing
them, with the form sent again to save it all the same. Used by the staff's and the
administrators' closures and by the administrators' hours and matters."""

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.booking.models import Visit
from app.booking.operations import would_call_off
from app.database import utcnow
from app.extensions import db
from app.staff.texts import STATUS_LABELS

KINDS = ("closure", "hours", "matter")


def check_change(kind: str, matchings: list[dict], back: str):
    """The page listing the visits that the change this transaction holds would call off,
    matched by ``matchings`` (as for ``recheck.standing_ahead``); None if it calls off none or
    the form says to save it all the same. Showing the page rolls the change back."""
    assert kind in KINDS
    db.session.flush()
    if request.form.get("confirmed"):
        return None
    called_off = would_call_off(utcnow(), *matchings)
    if not called_off:
        return None
    db.session.rollback()
    visits = db.session.scalars(
        select(Visit)
        .where(Visit.id.in_(called_off))
        .order_by(Visit.starts_at, Visit.id)
        .options(selectinload(Visit.matter), selectinload(Visit.location))
    ).all()
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", "confirmed")
    ]
    return render_template(
        "change_check.html",
        kind=kind,
        visits=visits,
        fields=fields,
        action=request.path,
        back=back,
        state_names=STATUS_LABELS,
    )
