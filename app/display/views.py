"""The waiting room's screen: public (it shows numbers and desks, never a name), one page a
place, which asks every few seconds for the calls of the day and announces a new one (a chime,
and the text in a live region for screen readers)."""

from datetime import datetime

from flask import Blueprint, render_template
from sqlalchemy import select

from app.booking.models import Visit
from app.booking.schedule import day_bounds, office_day, office_timezone
from app.database import utcnow
from app.extensions import db
from app.matters.models import Location
from app.templating import local_time

bp = Blueprint("display", __name__, url_prefix="/display")

SHOWN = 8  # the latest calls on the screen


def place_or_404(slug: str) -> Location:
    return db.first_or_404(select(Location).where(Location.slug == slug))


def latest_calls(location: Location, now: datetime) -> list[Visit]:
    """Today's calls at the place, the latest first."""
    start, end = day_bounds(office_day(now), office_day(now), office_timezone())
    return list(
        db.session.scalars(
            select(Visit)
            .where(
                Visit.location_id == location.id,
                Visit.called_at >= start,
                Visit.called_at < end,
            )
            .order_by(Visit.called_at.desc(), Visit.id.desc())
            .limit(SHOWN)
        )
    )


@bp.after_request
def keep_out_of_caches(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<slug>")
def screen(slug: str):
    location = place_or_404(slug)
    return render_template(
        "display/screen.html", place=location, calls=latest_calls(location, utcnow())
    )


@bp.get("/<slug>/calls.json")
def calls(slug: str):
    """What the screen shows, for its script: number, desk and time of each call."""
    location = place_or_404(slug)
    return {
        "calls": [
            {
                "number": visit.queue_number,
                "desk": visit.called_to,
                "at": visit.called_at.isoformat(),
                "time": local_time(visit.called_at),
            }
            for visit in latest_calls(location, utcnow())
        ]
    }
