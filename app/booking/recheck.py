"""Which booked visits a change of the catalog may have made impossible: they are marked, and
the scheduler's re-check (``operations.recheck``) looks at those and no others.

Called in the transaction of the change itself: by the administrators' screens (hours, desks,
slot length, places of a matter), the staff's and administrators' closures, the catalog loader.
"""

from datetime import datetime

from sqlalchemy import and_, or_, select, update

from app.booking.models import Visit
from app.booking.states import STANDING
from app.database import advisory_lock
from app.extensions import db
from app.matters.models import Closure, Matter

# The advisory lock a change of the catalog holds, and every booking and move shares.
CATALOG_LOCK = 7_2026_12


def steady_catalog() -> None:
    """Called by a booking or a move before it reads the hours and closures it checks against:
    a change of them under way finishes first (and is then seen), or waits until this
    transaction is over (and then marks what it wrote). Without it a visit booked into a
    closure committed a moment later would be neither refused nor marked."""
    advisory_lock(db.session, CATALOG_LOCK, shared=True)


def standing_ahead(
    now: datetime,
    *,
    location_id: int | None = None,
    matter_id: int | None = None,
    unit_id: int | None = None,
    between: tuple[datetime, datetime] | None = None,
    above_desk: int | None = None,
) -> list:
    """The standing visits still ahead that match every condition given (a place, a matter, a
    unit's matters, overlapping an interval, on a desk above a number), as SQL conditions."""
    conditions = [Visit.status.in_(STANDING), Visit.starts_at > now]
    if location_id is not None:
        conditions.append(Visit.location_id == location_id)
    if matter_id is not None:
        conditions.append(Visit.matter_id == matter_id)
    if unit_id is not None:
        conditions.append(Visit.matter_id.in_(select(Matter.id).where(Matter.unit_id == unit_id)))
    if between is not None:
        start, end = between
        conditions += [Visit.starts_at < end, Visit.ends_at > start]
    if above_desk is not None:
        conditions.append(Visit.desk > above_desk)
    return conditions


def standing_in_any(now: datetime, matchings: tuple[dict, ...]):
    """The standing visits ahead matching any of ``matchings`` (each the conditions of
    ``standing_ahead``), or all of them without one."""
    return or_(*(and_(*standing_ahead(now, **matching)) for matching in matchings or ({},)))


def mark_for_recheck(now: datetime, *matchings: dict) -> int:
    """Mark the visits ``standing_in_any(now, matchings)``; how many."""
    advisory_lock(db.session, CATALOG_LOCK)  # bookings and moves under way finish first
    marked = db.session.execute(
        update(Visit)
        .where(standing_in_any(now, matchings))
        .values(recheck_at=now)
        .execution_options(synchronize_session=False)
    )
    return marked.rowcount


def closure_matching(closure: Closure) -> dict:
    """The visits a closure falls on: at its place (anywhere for the whole office), of its
    unit's matters (or of all), overlapping it."""
    return {
        "location_id": closure.location_id,
        "unit_id": closure.unit_id,
        "between": (closure.starts_at, closure.ends_at),
    }


def mark_closure(closure: Closure, now: datetime) -> int:
    return mark_for_recheck(now, closure_matching(closure))
