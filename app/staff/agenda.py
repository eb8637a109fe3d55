"""The visits a unit expects: a day or a week per location, requests waiting for a decision,
and a day as CSV. Queries and plain values; the views render them."""

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import groupby

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.booking.messages import declared
from app.booking.models import Visit, VisitStatus
from app.booking.schedule import day_bounds, office_day, office_timezone
from app.booking.states import ON_AGENDA
from app.extensions import db
from app.i18n import localized
from app.inputs import FIRST_DAY, LAST_DAY
from app.matters.models import Confirmation, Location, Matter
from app.spreadsheets import csv_bytes
from app.staff.texts import STATUS_LABELS


def parse_day(text: str | None, today: date) -> date:
    """``YYYY-MM-DD`` or nothing (today); raises ``ValueError`` for anything else."""
    day = date.fromisoformat(text.strip()) if text and text.strip() else today
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day} is out of range")
    return day


def week_of(day: date) -> list[date]:
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def visits_between(unit_ids: list[int], first: date, last: date) -> list[Visit]:
    """The units' visits on local days ``first`` to ``last``, in time order."""
    start, end = day_bounds(first, last, office_timezone())
    return list(
        db.session.scalars(
            select(Visit)
            .join(Visit.matter)
            .where(
                Matter.unit_id.in_(unit_ids),
                Visit.status.in_(ON_AGENDA),
                Visit.starts_at >= start,
                Visit.starts_at < end,
            )
            .order_by(Visit.starts_at, Visit.location_id, Visit.id)
            # The history: which day mark may be undone (``operations.last_mark``).
            .options(
                selectinload(Visit.matter),
                selectinload(Visit.location),
                selectinload(Visit.changes),
            )
        )
    )


def stamp(visits: list[Visit]) -> str:
    """A short text that changes with any change of ``visits``: one more or less, a change of
    state (its history grows), a call."""
    changes = max((change.id for visit in visits for change in visit.changes), default=0)
    calls = max((visit.called_at.isoformat() for visit in visits if visit.called_at), default="")
    return f"{len(visits)}-{changes}-{calls}"


def receiving_weekdays(locations: Iterable[Location]) -> set[int]:
    """The weekdays on which any of ``locations`` has reception hours."""
    return {window.weekday for location in locations for window in location.hours}


def by_location(visits: Iterable[Visit]) -> list[tuple[Location, list[Visit]]]:
    """Visits per location (in the order of the locations), each list in time order."""
    ordered = sorted(visits, key=lambda visit: (visit.location_id, visit.starts_at, visit.id))
    return [
        (group[0].location, group)
        for group in (list(g) for _, g in groupby(ordered, key=lambda v: v.location_id))
    ]


def by_day(
    visits: Iterable[Visit], days: list[date]
) -> list[tuple[date, list[tuple[Location, list[Visit]]]]]:
    """For each of ``days``, its visits per location."""
    per_day: dict[date, list[Visit]] = {day: [] for day in days}
    for visit in visits:
        per_day.setdefault(office_day(visit.starts_at), []).append(visit)
    return [(day, by_location(per_day[day])) for day in days]


def waiting(unit_ids: list[int]):
    """The requests in the units' matters that wait for a staff member's decision."""
    return (
        Matter.unit_id.in_(unit_ids),
        Matter.confirmation == Confirmation.STAFF,
        Visit.status == VisitStatus.REQUESTED,
    )


def waiting_requests(unit_ids: list[int]) -> list[Visit]:
    """Requests waiting for a decision, the oldest first."""
    return list(
        db.session.scalars(
            select(Visit)
            .join(Visit.matter)
            .where(*waiting(unit_ids))
            .order_by(Visit.created_at, Visit.id)
            .options(selectinload(Visit.matter), selectinload(Visit.location))
        )
    )


def waiting_count(unit_ids: list[int]) -> int:
    return db.session.scalar(
        select(func.count(Visit.id)).join(Visit.matter).where(*waiting(unit_ids))
    )


def needing_attention(unit_ids: list[int]) -> list[Visit]:
    """Visits of the units the scheduler could not finish with, the oldest problem first."""
    return list(
        db.session.scalars(
            select(Visit)
            .join(Visit.matter)
            .where(Matter.unit_id.in_(unit_ids), Visit.attention_at.is_not(None))
            .order_by(Visit.attention_at, Visit.id)
            .options(selectinload(Visit.matter), selectinload(Visit.location))
        )
    )


def attention_count(unit_ids: list[int]) -> int:
    return db.session.scalar(
        select(func.count(Visit.id))
        .join(Visit.matter)
        .where(Matter.unit_id.in_(unit_ids), Visit.attention_at.is_not(None))
    )


def day_csv(visits: Iterable[Visit]) -> bytes:
    """A day's visits for a spreadsheet (``app.spreadsheets.csv_bytes``)."""
    timezone = office_timezone()
    header = [
        _("Date"),
        _("Start"),
        _("End"),
        _("Reference"),
        _("Full name"),
        _("Phone"),
        _("E-mail"),
        _("Matter"),
        _("Place"),
        _("State"),
        _("Case reference"),
        _("Declared at booking"),
    ]
    rows = (
        [
            visit.starts_at.astimezone(timezone).date().isoformat(),
            visit.starts_at.astimezone(timezone).strftime("%H:%M"),
            visit.ends_at.astimezone(timezone).strftime("%H:%M"),
            visit.reference,
            visit.name,
            visit.phone or "",
            visit.email or "",
            localized(visit.matter.title),
            localized(visit.location.name),
            STATUS_LABELS[visit.status.value],
            visit.case_reference,
            "; ".join(declared(visit)),
        ]
        for visit in visits
    )
    return csv_bytes(header, rows)
