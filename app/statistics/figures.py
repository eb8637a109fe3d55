"""The figures behind the statistics, each an aggregate query over the visits (or what the
scheduler recorded) of a period, some matters and some locations: the database counts, Python
adds up a few thousand grouped rows and turns slot times into local weekdays and hours.

Every visit counts in the period of its time (its start, as a local day), whatever became of
it; a lead time is whole days of 24 hours from the request to the start.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.booking.models import Visit, VisitChange
from app.booking.schedule import day_bounds, office_timezone
from app.booking.states import ON_AGENDA, Channel, VisitStatus
from app.database import whole_days_between
from app.extensions import db
from app.statistics.models import FreeDateSample, OfferedDesks

S = VisitStatus
# Called off, by whom: a cancellation or a decline and the door it came through.
CALLED_OFF = (S.CANCELLED, S.DECLINED)


@dataclass(frozen=True)
class Scope:
    """What a statistics page looks at: local days ``first`` to ``last``, the matters, and the
    locations (None: all of the matters' locations)."""

    first: date
    last: date
    matter_ids: tuple[int, ...]
    location_ids: tuple[int, ...] | None = None

    def visits(self) -> list:
        start, end = day_bounds(self.first, self.last, office_timezone())
        conditions = [
            Visit.starts_at >= start,
            Visit.starts_at < end,
            Visit.matter_id.in_(self.matter_ids),
        ]
        if self.location_ids is not None:
            conditions.append(Visit.location_id.in_(self.location_ids))
        return conditions

    def recorded(self, model) -> list:
        """The same scope over a table of days recorded per matter and location."""
        conditions = [
            model.day >= self.first,
            model.day <= self.last,
            model.matter_id.in_(self.matter_ids),
        ]
        if self.location_ids is not None:
            conditions.append(model.location_id.in_(self.location_ids))
        return conditions


@dataclass(frozen=True)
class Group:
    """Visits alike in every way the statistics count them by."""

    matter_id: int
    location_id: int
    status: VisitStatus
    channel: Channel
    language: str
    visits: int


GROUP_KEYS = (Visit.matter_id, Visit.location_id, Visit.status, Visit.channel, Visit.language)


def visit_groups(scope: Scope) -> list[Group]:
    """The scope's visits by place, state, door and language: a few hundred groups a year,
    read in the order of the index ``ix_visits_statistics`` (so without sorting the visits)."""
    rows = db.session.execute(
        select(*GROUP_KEYS, func.count()).where(*scope.visits()).group_by(*GROUP_KEYS)
    )
    return [Group(*row) for row in rows]


def lead_days(scope: Scope) -> Counter[int]:
    """Booked visits by the whole days between the request and the visit."""
    days = whole_days_between(Visit.starts_at, Visit.created_at)
    rows = db.session.execute(
        select(days, func.count())
        .where(*scope.visits(), Visit.status.in_(ON_AGENDA))
        .group_by(days)
    )
    lead: Counter[int] = Counter()
    for n_days, n in rows:
        lead[max(n_days, 0)] += n
    return lead


def called_off(scope: Scope) -> Counter[tuple[VisitStatus, Channel | None]]:
    """Cancelled and declined visits by the door of the change that ended them (None: the
    scheduler, under the rules or after a change of hours)."""
    rows = db.session.execute(
        select(VisitChange.to_status, VisitChange.channel, func.count())
        .join(Visit, Visit.id == VisitChange.visit_id)
        .where(
            *scope.visits(),
            Visit.status.in_(CALLED_OFF),
            VisitChange.to_status.in_(CALLED_OFF),  # ix_visit_changes_endings
            VisitChange.to_status == Visit.status,
        )
        .group_by(VisitChange.to_status, VisitChange.channel)
    )
    return Counter({(status, channel): n for status, channel, n in rows})


def booked_by_hour(scope: Scope) -> Counter[tuple[int, int]]:
    """Booked visits by the local weekday (0 = Monday) and hour of their start."""
    rows = db.session.execute(
        select(Visit.starts_at, func.count())
        .where(*scope.visits(), Visit.status.in_(ON_AGENDA))
        .group_by(Visit.starts_at)
    )
    timezone = office_timezone()
    booked: Counter[tuple[int, int]] = Counter()
    for starts_at, n in rows:
        local = starts_at.astimezone(timezone)
        booked[local.weekday(), local.hour] += n
    return booked


def offered_by_hour(scope: Scope) -> Counter[tuple[int, int]]:
    """Desk-slots offered by local weekday and hour."""
    rows = db.session.execute(
        select(OfferedDesks.day, OfferedDesks.hour, func.sum(OfferedDesks.desk_slots))
        .where(*scope.recorded(OfferedDesks))
        .group_by(OfferedDesks.day, OfferedDesks.hour)
    )
    offered: Counter[tuple[int, int]] = Counter()
    for day, hour, desk_slots in rows:
        offered[day.weekday(), hour] += int(desk_slots)
    return offered


def offered_by_place(scope: Scope) -> Counter[tuple[int, int]]:
    """Desk-slots offered per matter and location."""
    rows = db.session.execute(
        select(OfferedDesks.matter_id, OfferedDesks.location_id, func.sum(OfferedDesks.desk_slots))
        .where(*scope.recorded(OfferedDesks))
        .group_by(OfferedDesks.matter_id, OfferedDesks.location_id)
    )
    return Counter({(matter_id, location_id): int(n) for matter_id, location_id, n in rows})


@dataclass(frozen=True)
class FreeDates:
    """The samples of one day (or of several, added up)."""

    places: int  # samples taken
    with_free: int  # of them, with a free time within the horizon
    days_total: int  # their days ahead, added up
    longest: int | None

    @property
    def average(self) -> float | None:
        return self.days_total / self.with_free if self.with_free else None

    def __add__(self, other: "FreeDates") -> "FreeDates":
        longest = [n for n in (self.longest, other.longest) if n is not None]
        return FreeDates(
            self.places + other.places,
            self.with_free + other.with_free,
            self.days_total + other.days_total,
            max(longest) if longest else None,
        )


def free_dates(scope: Scope) -> dict[date, FreeDates]:
    """Per day, how far ahead the first free times were."""
    ahead = FreeDateSample.days_ahead
    rows = db.session.execute(
        select(
            FreeDateSample.day,
            func.count(),
            func.count(ahead),
            func.coalesce(func.sum(ahead), 0),
            func.max(ahead),
        )
        .where(*scope.recorded(FreeDateSample))
        .group_by(FreeDateSample.day)
        .order_by(FreeDateSample.day)
    )
    return {
        day: FreeDates(places, with_free, int(total), longest)
        for day, places, with_free, total, longest in rows
    }
