"""Build a ``Schedule`` from the catalog and count booked desks: the database side of slots."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from flask import current_app
from sqlalchemy import BigInteger, cast, func, literal, or_, select

from app.booking.models import Visit
from app.booking.slots import Interval, Schedule, Slot, Window, free_slots, open_desks
from app.extensions import db
from app.matters.models import Closure, Location, Matter
from app.metrics import SLOT_LISTING

# Public holidays of Poland, maintained upstream; years are filled in as they are asked for.
POLISH_HOLIDAYS = holidays.country_holidays("PL")


def office_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["OFFICE_TIMEZONE"])


def office_day(moment: datetime) -> date:
    """The office's wall-clock day of an instant."""
    return moment.astimezone(office_timezone()).date()


def open_desks_for(matter: Matter, start: datetime, now: datetime, online: bool) -> int:
    """How many desks a booking at ``start`` may take (online ones leave the phone desks)."""
    timezone = office_timezone()
    return open_desks(
        matter.desks,
        matter.phone_desks,
        matter.phone_release_days,
        start.astimezone(timezone).date(),
        now.astimezone(timezone).date(),
        online,
    )


def day_bounds(first: date, last: date, timezone: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants that enclose local days ``first`` to ``last`` (inclusive)."""
    return (
        datetime.combine(first, time(), tzinfo=timezone),
        datetime.combine(last + timedelta(days=1), time(), tzinfo=timezone),
    )


def schedules(
    matter: Matter, locations: list[Location], start: datetime, end: datetime
) -> dict[int, Schedule]:
    """One schedule per location, with the closures that touch ``start``..``end``."""
    location_ids = [location.id for location in locations]
    with db.session.no_autoflush:  # closures are not what a transaction changing visits writes
        closures = db.session.scalars(
            select(Closure).where(
                or_(Closure.location_id.in_(location_ids), Closure.location_id.is_(None)),
                or_(Closure.unit_id.is_(None), Closure.unit_id == matter.unit_id),
                Closure.starts_at < end,
                Closure.ends_at > start,
            )
        ).all()
    timezone = office_timezone()
    return {
        location.id: Schedule(
            timezone=timezone,
            windows=[Window(w.weekday, w.opens, w.closes) for w in location.hours],
            closures=[
                Interval(c.starts_at, c.ends_at)
                for c in closures
                if c.location_id in (None, location.id)
            ],
            holidays=POLISH_HOLIDAYS,
            slot_minutes=matter.slot_minutes,
            desks=matter.desks,
            lead_days=matter.lead_days,
            horizon_days=matter.horizon_days,
            phone_desks=matter.phone_desks,
            phone_release_days=matter.phone_release_days,
        )
        for location in locations
    }


def taken_desks(
    matter: Matter, location_ids: list[int], start: datetime, end: datetime
) -> dict[int, dict[datetime, set[int]]]:
    """The desks held per location and slot start, in one query: a row per slot, its desks as
    the bits of one number (a slot's desks are distinct and at most 50, the settings' limit),
    rather than a row per visit."""
    desks = func.sum(cast(literal(1), BigInteger).op("<<")(Visit.desk))
    rows = db.session.execute(
        select(Visit.location_id, Visit.starts_at, desks)
        .where(
            Visit.matter_id == matter.id,
            Visit.location_id.in_(location_ids),
            Visit.desk.is_not(None),
            Visit.starts_at >= start,
            Visit.starts_at < end,
        )
        .group_by(Visit.location_id, Visit.starts_at)
    )
    taken: dict[int, dict[datetime, set[int]]] = defaultdict(dict)
    for location_id, starts_at, bits in rows:
        bits = int(bits)  # PostgreSQL sums bigints as numeric
        taken[location_id][starts_at] = {
            desk for desk in range(bits.bit_length()) if bits >> desk & 1
        }
    return taken


@SLOT_LISTING.time()
def matter_free_slots(
    matter: Matter,
    locations: list[Location],
    now: datetime,
    first: date | None = None,
    last: date | None = None,
    online: bool = True,
) -> list[tuple[Location, Slot]]:
    """Free slots of a matter at some of its locations between two local days (by default
    all it may be booked for), in time order; ``online=False`` for infoline and staff."""
    timezone = office_timezone()
    today = now.astimezone(timezone).date()
    horizon = today + timedelta(days=matter.horizon_days)
    first = max(first or today, today)
    last = min(last or horizon, horizon)
    if first > last:
        return []
    start, end = day_bounds(first, last, timezone)
    by_location = schedules(matter, locations, start, end)
    taken = taken_desks(matter, list(by_location), start, end)
    found = []
    for location in locations:
        schedule = by_location[location.id]
        for slot in free_slots(schedule, first, last, taken[location.id], now, online):
            found.append((location, slot))
    found.sort(key=lambda pair: (pair[1].start, pair[0].id))
    return found
