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


MatterPlace = tuple[Matter, Location]  # a matter at one of its locations


def schedules(
    matter: Matter, locations: list[Location], start: datetime, end: datetime
) -> dict[int, Schedule]:
    """One schedule per location, with the closures that touch ``start``..``end``."""
    found = place_schedules([(matter, location) for location in locations], start, end)
    return {location_id: schedule for (_matter_id, location_id), schedule in found.items()}


def place_schedules(
    places: list[MatterPlace], start: datetime, end: datetime
) -> dict[tuple[int, int], Schedule]:
    """One schedule per matter and place (by their ids), with the closures that touch
    ``start``..``end``, read in one query for them all."""
    with db.session.no_autoflush:  # closures are not what a transaction changing visits writes
        closures = db.session.scalars(
            select(Closure).where(
                or_(
                    Closure.location_id.in_({location.id for _, location in places}),
                    Closure.location_id.is_(None),
                ),
                or_(
                    Closure.unit_id.is_(None),
                    Closure.unit_id.in_({matter.unit_id for matter, _ in places}),
                ),
                Closure.starts_at < end,
                Closure.ends_at > start,
            )
        ).all()
    timezone = office_timezone()
    return {
        (matter.id, location.id): Schedule(
            timezone=timezone,
            windows=[Window(w.weekday, w.opens, w.closes) for w in location.hours],
            closures=[
                Interval(c.starts_at, c.ends_at)
                for c in closures
                if c.location_id in (None, location.id) and c.unit_id in (None, matter.unit_id)
            ],
            holidays=POLISH_HOLIDAYS,
            slot_minutes=matter.slot_minutes,
            desks=matter.desks,
            lead_days=matter.lead_days,
            horizon_days=matter.horizon_days,
            phone_desks=matter.phone_desks,
            phone_release_days=matter.phone_release_days,
        )
        for matter, location in places
    }


def taken_desks(
    places: list[MatterPlace], start: datetime, end: datetime
) -> dict[tuple[int, int], dict[datetime, int]]:
    """The desks held per matter and place (by their ids) and slot start, in one query: a row
    per slot, its desks as the bits of one number (a slot's desks are distinct and at most 50,
    the settings' limit), rather than a row per visit; ``free_slots`` counts them as bits, too."""
    # PostgreSQL sums bigints as numeric: cast back, so that the driver hands over an int.
    desks = cast(func.sum(cast(literal(1), BigInteger).op("<<")(Visit.desk)), BigInteger)
    rows = db.session.execute(
        select(Visit.matter_id, Visit.location_id, Visit.starts_at, desks)
        .where(
            Visit.matter_id.in_({matter.id for matter, _ in places}),
            Visit.location_id.in_({location.id for _, location in places}),
            Visit.desk.is_not(None),
            Visit.starts_at >= start,
            Visit.starts_at < end,
        )
        .group_by(Visit.matter_id, Visit.location_id, Visit.starts_at)
    ).all()  # fetched at once: a third faster than row by row for a horizon's slots
    taken: dict[tuple[int, int], dict[datetime, int]] = defaultdict(dict)
    for matter_id, location_id, starts_at, bits in rows:
        taken[matter_id, location_id][starts_at] = bits
    return taken


def places_free_slots(
    places: list[MatterPlace],
    now: datetime,
    first: date | None = None,
    last: date | None = None,
    online: bool = True,
) -> dict[tuple[int, int], list[Slot]]:
    """Free slots of each matter and place (by their ids) between two local days (by default
    all its matter may be booked for), in time order, in two queries for them all;
    ``online=False`` for infoline and staff."""
    timezone = office_timezone()
    today = now.astimezone(timezone).date()
    days: dict[tuple[int, int], tuple[date, date]] = {}
    for matter, location in places:
        horizon = today + timedelta(days=matter.horizon_days)
        first_day, last_day = max(first or today, today), min(last or horizon, horizon)
        if first_day <= last_day:
            days[matter.id, location.id] = (first_day, last_day)
    if not days:
        return {}
    asked = [(matter, location) for matter, location in places if (matter.id, location.id) in days]
    start, end = day_bounds(
        min(first_day for first_day, _ in days.values()),
        max(last_day for _, last_day in days.values()),
        timezone,
    )
    by_place = place_schedules(asked, start, end)
    taken = taken_desks(asked, start, end)
    return {
        key: free_slots(by_place[key], *days[key], taken.get(key, {}), now, online)
        for key in by_place
    }


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
    by_place = places_free_slots(
        [(matter, location) for location in locations], now, first, last, online
    )
    found = [
        (location, slot)
        for location in locations
        for slot in by_place.get((matter.id, location.id), [])
    ]
    found.sort(key=lambda pair: (pair[1].start, pair[0].id))
    return found


FIRST_LOOK_DAYS = 7  # most matters have a free time within a week: list that first


def first_free_days(matters: list[Matter], now: datetime) -> dict[int, date | None]:
    """The first day a citizen can book each matter (by id, with its places and their hours
    loaded) online at any of its places, or None when nothing is free within its horizon: the
    coming week is listed first for all of them at once, the rest of each horizon only for
    the matters whose week is full."""
    soon = office_day(now) + timedelta(days=FIRST_LOOK_DAYS)
    found: dict[int, date | None] = {matter.id: None for matter in matters}
    looking = matters
    for window in ({"last": soon}, {"first": soon + timedelta(days=1)}):
        places = [(matter, location) for matter in looking for location in matter.locations]
        for (matter_id, _location_id), slots in places_free_slots(places, now, **window).items():
            if slots:
                day = office_day(slots[0].start)
                found[matter_id] = min(day, found[matter_id] or day)
        looking = [matter for matter in looking if found[matter.id] is None]
        if not looking:
            break
    return found
