"""Public catalog pages: the list of matters and each matter's page with its free times."""

from datetime import date

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.booking.schedule import matter_free_slots, office_timezone
from app.booking.slot_codec import parse_day
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter, Unit
from app.matters.queries import matter_or_404

bp = Blueprint("matters", __name__)


@bp.get("/")
def index():
    units = db.session.scalars(
        select(Unit).options(selectinload(Unit.matters)).order_by(Unit.id)
    ).all()
    return render_template("matters/index.html", units=units)


@bp.get("/privacy")
def privacy():
    """The information clause (RODO art. 13): who holds the visitors' data, why, how long."""
    matters = db.session.scalars(select(Matter).order_by(Matter.unit_id, Matter.id)).all()
    return render_template(
        "matters/privacy.html",
        matters=[matter for matter in matters if matter.has_visits],
        controller=current_app.config["PRIVACY_CONTROLLER"],
        officer=current_app.config["DATA_PROTECTION_OFFICER"],
    )


@bp.get("/matters/<slug>")
def matter(slug: str):
    matter = matter_or_404(slug)
    context = {"matter": matter}
    if matter.is_bookable_online:
        context |= free_times(matter)
    return render_template("matters/matter.html", **context)


def free_times(matter: Matter) -> dict:
    """The location, days and times a citizen picks from, step by step, without JavaScript."""
    location = matter.location(request.args.get("location", ""))
    if location is None and len(matter.locations) == 1:
        location = matter.locations[0]
    if location is None:
        return {"location": None}
    timezone = office_timezone()
    days: dict[date, list] = {}
    for _, slot in matter_free_slots(matter, [location], utcnow()):
        days.setdefault(slot.start.astimezone(timezone).date(), []).append(slot)
    chosen_day = parse_day(request.args.get("day"))
    if chosen_day not in days:
        chosen_day = next(iter(days), None)
    return {
        "location": location,
        "days": days,
        "chosen_day": chosen_day,
        "times": days.get(chosen_day, []),
    }
