"""What the scheduler records for the statistics, day by day: the desk-slots each matter
offers at each location (``OfferedDesks``) and how far ahead its first free time is
(``FreeDateSample``). Visits keep their own figures; these are what no visit row shows."""

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import selectinload

from app.booking.schedule import (
    day_bounds,
    matter_free_slots,
    office_day,
    office_timezone,
    schedules,
)
from app.booking.slots import Schedule
from app.database import upsert
from app.extensions import db
from app.matters.models import Matter, VisitPolicy
from app.scheduler.models import JobRun
from app.statistics.models import FreeDateSample, OfferedDesks

# Days before today recorded if a stopped scheduler left them out.
CATCH_UP_DAYS = 7


def offered_by_hour(schedule: Schedule, day: date) -> Counter[int]:
    """Desk-slots per local hour of ``day``: every desk of each slot outside closures."""
    offered: Counter[int] = Counter()
    for start, end in schedule.slots_on(day):
        if not schedule.is_closed(start, end):
            offered[start.astimezone(schedule.timezone).hour] += schedule.desks
    return offered


def visited_matters() -> list[Matter]:
    """The matters people visit, with their locations."""
    return list(
        db.session.scalars(
            select(Matter)
            .where(Matter.visit_policy != VisitPolicy.NONE)
            .options(selectinload(Matter.locations))
            .order_by(Matter.id)
        )
    )


def offer_rows(day: date) -> list[dict]:
    start, end = day_bounds(day, day, office_timezone())
    rows = []
    for matter in visited_matters():
        for location_id, schedule in schedules(matter, matter.locations, start, end).items():
            rows += [
                {
                    "day": day,
                    "matter_id": matter.id,
                    "location_id": location_id,
                    "hour": hour,
                    "desk_slots": desk_slots,
                }
                for hour, desk_slots in sorted(offered_by_hour(schedule, day).items())
            ]
    return rows


def record_offer(day: date, begun_hours: int = 0) -> int:
    """Write the day's offer as the catalog has it now, if it differs from what was written
    before, but for its first ``begun_hours`` (today's hours already begun), which keep what
    was written of them; how many rows it wrote (two schedulers may do it at once: the last
    one wins)."""
    recorded = db.session.scalars(select(OfferedDesks).where(OfferedDesks.day == day)).all()
    kept = {(row.matter_id, row.location_id, row.hour, row.desk_slots) for row in recorded}
    rows = offer_rows(day)
    if recorded:
        rows = [row for row in rows if row["hour"] >= begun_hours] + [
            {"day": day, "matter_id": m, "location_id": loc, "hour": hour, "desk_slots": n}
            for m, loc, hour, n in kept
            if hour < begun_hours
        ]
    fresh = {(r["matter_id"], r["location_id"], r["hour"], r["desk_slots"]) for r in rows}
    if fresh == kept:
        return 0
    db.session.execute(delete(OfferedDesks).where(OfferedDesks.day == day))
    if rows:
        statement = upsert(db.session, OfferedDesks)
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "matter_id", "location_id", "hour"],
                set_={"desk_slots": statement.excluded.desk_slots},
            ),
            rows,
        )
    return len(fresh - kept)


def offer_recorded(day: date) -> bool:
    return bool(db.session.scalar(select(exists().where(OfferedDesks.day == day))))


def days_left_out(today: date) -> list[date]:
    """The days before today that no run recorded as they went: those after the day of the
    job's last success (up to ``CATCH_UP_DAYS``), or before any run those without an offer
    yet. Not any day without rows: a weekend has none, and a later change of the catalog
    must not give it one."""
    last_run = db.session.get(JobRun, record_statistics.__name__)
    earlier = [today - timedelta(days=back) for back in range(CATCH_UP_DAYS, 0, -1)]
    if last_run is None or last_run.last_success_at is None:
        return [day for day in earlier if not offer_recorded(day)]
    return [day for day in earlier if day > office_day(last_run.last_success_at)]


def sample_free_dates(now: datetime) -> int:
    """Once a day: how many days from today to each place's first free time, as its visitors
    see it (online, or what the infoline can offer for a matter booked by phone)."""
    today = office_day(now)
    if db.session.scalar(select(exists().where(FreeDateSample.day == today))):
        return 0
    rows = []
    for matter in visited_matters():
        first_free: dict[int, date] = {}
        online = matter.is_bookable_online
        for location, slot in matter_free_slots(matter, matter.locations, now, online=online):
            first_free.setdefault(location.id, office_day(slot.start))
        rows += [
            {
                "day": today,
                "matter_id": matter.id,
                "location_id": location.id,
                "days_ahead": (first_free[location.id] - today).days
                if location.id in first_free
                else None,
            }
            for location in matter.locations
        ]
    if rows:
        db.session.execute(upsert(db.session, FreeDateSample).on_conflict_do_nothing(), rows)
    return len(rows)


def record_statistics(now: datetime) -> int:
    """Today's offer (again for the hours ahead: a closure may have changed them since the last
    run), the last days a stopped scheduler left out, and today's free-date sample; how many
    rows it wrote."""
    today = office_day(now)
    done = sum(record_offer(day) for day in days_left_out(today))
    done += record_offer(today, begun_hours=now.astimezone(office_timezone()).hour + 1)
    done += sample_free_dates(now)
    db.session.commit()
    return done
